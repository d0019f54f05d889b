import { useMemo, useState } from 'react'
import { Button, Card, Checkbox, Collapse, Empty, Space, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { Script } from '../../../../shared/contract'

export type Placeholders = Record<string, string>

/** Fills `{{姓名}}`-style placeholders; an unknown one stays visible so the operator notices. */
export function fillPlaceholders(text: string, values: Placeholders): string {
  return text.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (m, name: string) => values[name] ?? m)
}

/**
 * Where the script goes after a step when nothing else is said: its first branch (the usual answer),
 * or the next step in order. Ticking a required step moves the panel on to it, so the operator
 * always sees what to say next.
 */
export function stepAfter(steps: Script['body']['steps'], id: string): string | null {
  const i = steps.findIndex((s) => s.id === id)
  if (i < 0) return null
  return steps[i].branches[0]?.to ?? steps[i + 1]?.id ?? null
}

/**
 * 电销脚本: the campaign's script, one step at a time with the branches the operator picks from
 * the customer's answer, the objection library, and the required steps ticked as they are said
 * (each tick is stored with its offset in the call).
 */
export function ScriptPanel({
  script,
  values,
  ticked,
  onTick,
  canTick,
  step,
  onStep
}: {
  script: Script | null | undefined
  values: Placeholders
  ticked: Set<string>
  onTick: (stepId: string) => void
  canTick: boolean
  step: string | null
  onStep: (id: string) => void
}) {
  const { t } = useTranslation()
  const [showAll, setShowAll] = useState(false)
  const steps = useMemo(() => script?.body.steps ?? [], [script])
  const current = steps.find((s) => s.id === step) ?? steps[0]
  // the steps the operator came through, for 上一步
  const [trail, setTrail] = useState<string[]>([])
  const go = (to: string) => {
    if (current) setTrail([...trail, current.id])
    onStep(to)
  }
  const back = () => {
    const prev = trail[trail.length - 1]
    if (prev === undefined) return
    setTrail(trail.slice(0, -1))
    onStep(prev)
  }
  const required = useMemo(() => steps.filter((s) => s.mandatory), [steps])
  if (!script)
    return (
      <Card size="small" title={t('desk.script.title')}>
        <Empty description={t('desk.script.none')} />
      </Card>
    )
  return (
    <Card
      size="small"
      title={
        <Space>
          {t('desk.script.title')}
          <Typography.Text type="secondary">
            {script.title} · v{script.version}
          </Typography.Text>
        </Space>
      }
      extra={
        <Button size="small" type="link" onClick={() => setShowAll(!showAll)}>
          {showAll ? t('desk.script.oneStep') : t('desk.script.allSteps')}
        </Button>
      }
      data-testid="script-panel"
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <div data-testid="required-steps">
          <Typography.Text type="secondary">{t('desk.script.required')}</Typography.Text>
          <Space wrap style={{ marginLeft: 8 }}>
            {required.map((s) => (
              <Checkbox
                key={s.id}
                checked={ticked.has(s.id)}
                disabled={!canTick || ticked.has(s.id)}
                onChange={() => onTick(s.id)}
                aria-label={`${t('desk.script.tick')} ${s.title}`}
              >
                {s.title}
              </Checkbox>
            ))}
          </Space>
        </div>
        {(showAll ? steps : current ? [current] : []).map((s) => (
          <div key={s.id} className="script-step" data-testid={`script-step-${s.id}`}>
            <Space>
              <Typography.Text strong>{s.title}</Typography.Text>
              {s.mandatory && (
                <Tag color={ticked.has(s.id) ? 'green' : 'red'}>
                  {ticked.has(s.id) ? t('desk.script.said') : t('desk.script.mustSay')}
                </Tag>
              )}
            </Space>
            <Typography.Paragraph style={{ fontSize: 15, margin: '6px 0' }}>
              {fillPlaceholders(s.text, values)}
            </Typography.Paragraph>
            {!showAll && (
              <Space wrap>
                {trail.length > 0 && (
                  <Button size="small" type="text" onClick={back}>
                    ← {t('desk.script.back')}
                  </Button>
                )}
                {s.branches.map((b) => (
                  <Button key={b.label} size="small" onClick={() => go(b.to)}>
                    {b.label} →
                  </Button>
                ))}
                {s.branches.length === 0 && stepAfter(steps, s.id) && (
                  <Button size="small" onClick={() => go(stepAfter(steps, s.id)!)}>
                    {t('desk.script.next')} →
                  </Button>
                )}
              </Space>
            )}
          </div>
        ))}
        {script.body.objections.length > 0 && (
          <Collapse
            size="small"
            items={[
              {
                key: 'objections',
                label: t('desk.script.objections'),
                children: (
                  <Collapse
                    size="small"
                    accordion
                    items={script.body.objections.map((o, i) => ({
                      key: String(i),
                      label: o.objection,
                      children: <Typography.Paragraph>{fillPlaceholders(o.answer, values)}</Typography.Paragraph>
                    }))}
                  />
                )
              }
            ]}
          />
        )}
      </Space>
    </Card>
  )
}
