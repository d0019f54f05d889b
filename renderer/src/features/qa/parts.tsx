import { Descriptions, Tag, Tooltip } from 'antd'
import { useTranslation } from 'react-i18next'
import type { CallMetrics, LibraryRow, Verdict } from '../../../../shared/contract'

const STATE_COLORS: Record<LibraryRow['qaState'], string | undefined> = {
  none: undefined,
  queued: 'gold',
  claimed: 'blue',
  pass: 'green',
  fail: 'red',
  fix: 'orange'
}

export function QaStateTag({ state }: { state: LibraryRow['qaState'] }) {
  const { t } = useTranslation()
  return (
    <Tag color={STATE_COLORS[state]} data-testid="qa-state">
      {t(`qa.states.${state}`)}
    </Tag>
  )
}

export function VerdictTag({ verdict }: { verdict: Verdict }) {
  const { t } = useTranslation()
  return (
    <Tag color={STATE_COLORS[verdict]} data-testid="verdict">
      {t(`qa.verdicts.${verdict}`)}
    </Tag>
  )
}

/** Why a call is in the review queue: success, sample, flag, manual, metric:<rule>. */
export function ReasonTags({ reasons }: { reasons: string[] }) {
  const { t } = useTranslation()
  return (
    <>
      {reasons.map((r) => {
        const [kind, rule] = r.split(':')
        return (
          <Tooltip key={r} title={rule ? ruleText(t, rule) : undefined}>
            <Tag
              color={
                kind === 'success' ? 'cyan' : kind === 'flag' ? 'magenta' : kind === 'metric' ? 'volcano' : undefined
              }
            >
              {t(`qa.reasons.${kind}`)}
            </Tag>
          </Tooltip>
        )
      })}
    </>
  )
}

function ruleText(t: (k: string) => string, rule: string): string {
  const m = /^(\w+)([<>])(.+)$/.exec(rule)
  if (!m) return rule
  return `${t(`qa.metrics.${m[1]}`)} ${m[2] === '>' ? t('qa.settings.op.gt') : t('qa.settings.op.lt')} ${metricValue(m[1], Number(m[3]))}`
}

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`
export function metricValue(metric: string, v: number | null): string {
  if (v === null) return '—'
  return metric.endsWith('Share') ? pct(v) : secs(v)
}

/** What the two channels say, as the reviewer reads it. */
export function MetricsView({ metrics }: { metrics: CallMetrics }) {
  const { t } = useTranslation()
  const rows: [string, string][] = [
    ['operatorTalkShare', pct(metrics.operatorTalkShare)],
    ['customerTalkShare', pct(metrics.customerTalkShare)],
    ['silenceShare', pct(metrics.silenceShare)],
    ['longestSilenceMs', secs(metrics.longestSilenceMs)],
    ['talkOverShare', `${pct(metrics.talkOverShare)}（${secs(metrics.talkOverMs)}）`],
    ['longestMonologueMs', secs(metrics.longestMonologueMs)],
    [
      'firstCustomerWordMs',
      metrics.firstCustomerWordMs === null ? t('qa.metrics.never') : secs(metrics.firstCustomerWordMs)
    ],
    ['hungUpBy', t(`qa.hungUp.${metrics.hungUpBy}`)]
  ]
  return (
    <Descriptions size="small" column={2} data-testid="metrics">
      {rows.map(([k, v]) => (
        <Descriptions.Item key={k} label={t(`qa.metrics.${k}`)}>
          <span data-metric={k}>{v}</span>
        </Descriptions.Item>
      ))}
    </Descriptions>
  )
}
