import { useEffect, useState } from 'react'
import { Button, Card, Col, Progress, Row, Select, Space, Statistic, Tag, Tooltip, Typography } from 'antd'
import { PauseCircleOutlined, QuestionCircleOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { AgentState, Output } from '../../../../shared/contract'
import { PAUSE_REASONS } from '../../../../shared/contract/enums'
import type { PauseReason } from './desk-machine'

export function mmss(s: number): string {
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}

/** Seconds left until a moment on the page's monotonic clock; ticks on its own so the desk around it does not re-render. */
function useSecondsLeft(until: number | null): number | null {
  const [now, setNow] = useState(() => performance.now())
  useEffect(() => {
    if (until === null) return
    const id = setInterval(() => setNow(performance.now()), 250)
    return () => clearInterval(id)
  }, [until])
  return until === null ? null : Math.max(0, Math.ceil((until - now) / 1000))
}

function WrapUpTag({ until }: { until: number }) {
  const { t } = useTranslation()
  const left = useSecondsLeft(until) ?? 0
  return (
    <Tag color={left > 0 ? 'blue' : 'red'} data-testid="wrap-up">
      {left > 0 ? t('desk.wrapUpLeft', { s: left }) : t('desk.wrapUpOver')}
    </Tag>
  )
}

/** The desk's top bar: the agent state and pause, the wrap-up time, waiting outcomes, and the operator's figures for today. */
export function DeskStatusBar({
  agent,
  canPause,
  onPause,
  onResume,
  wrapUntil,
  queued,
  figures,
  onHelp
}: {
  agent: { state: AgentState; reason?: PauseReason }
  canPause: boolean
  onPause: (r: PauseReason) => void
  onResume: () => void
  wrapUntil: number | null
  queued: number
  figures: Output<'desk.today'> | undefined
  onHelp: () => void
}) {
  const { t } = useTranslation()
  const fig = figures
  return (
    <Card size="small" data-testid="desk-status">
      <Row gutter={16} align="middle" wrap>
        <Col flex="auto">
          <Space wrap>
            <Tag
              data-testid="agent-state"
              color={
                agent.state === 'ready'
                  ? 'green'
                  : agent.state === 'paused'
                    ? 'orange'
                    : agent.state === 'on_call'
                      ? 'red'
                      : 'blue'
              }
            >
              {t(`desk.agentStates.${agent.state}`)}
              {agent.reason ? ` · ${t(`desk.pauseReasons.${agent.reason}`)}` : ''}
            </Tag>
            {agent.state === 'paused' ? (
              <Button size="small" onClick={onResume}>
                {t('desk.resume')}
              </Button>
            ) : (
              <Select<PauseReason>
                size="small"
                style={{ width: 140 }}
                placeholder={
                  <span>
                    <PauseCircleOutlined /> {t('desk.pause')}
                  </span>
                }
                value={null as unknown as undefined}
                disabled={!canPause}
                onChange={onPause}
                options={PAUSE_REASONS.map((r) => ({ value: r, label: t(`desk.pauseReasons.${r}`) }))}
                aria-label={t('desk.pause')}
              />
            )}
            {wrapUntil !== null && <WrapUpTag until={wrapUntil} />}
            {queued > 0 && <Tag color="orange">{t('desk.outcome.waiting', { n: queued })}</Tag>}
          </Space>
        </Col>
        <Col>
          <Space size="large" data-testid="my-figures">
            <Statistic title={t('desk.figures.calls')} value={fig?.calls ?? 0} valueStyle={{ fontSize: 18 }} />
            <Statistic title={t('desk.figures.connected')} value={fig?.connected ?? 0} valueStyle={{ fontSize: 18 }} />
            <Statistic title={t('desk.figures.talk')} value={mmss(fig?.talkSec ?? 0)} valueStyle={{ fontSize: 18 }} />
            <Statistic
              title={t('desk.figures.skips')}
              value={fig?.skips ?? 0}
              suffix={<Typography.Text type="secondary">/ {fig?.skipsPerDay ?? 0}</Typography.Text>}
              valueStyle={{ fontSize: 18 }}
              data-testid="skips"
            />
            <div>
              <Typography.Text type="secondary">{t('desk.figures.successes')}</Typography.Text>
              <div>
                <Typography.Text strong style={{ fontSize: 18 }} data-testid="successes">
                  {fig?.successes ?? 0}
                </Typography.Text>
                <Typography.Text type="secondary"> / {fig?.target ?? 20}</Typography.Text>
              </div>
              <Progress
                percent={fig?.target ? Math.round((100 * fig.successes) / fig.target) : 0}
                size="small"
                showInfo={false}
                style={{ width: 80, margin: 0 }}
              />
            </div>
            <Tooltip title={t('desk.shortcutsTitle')}>
              <Button icon={<QuestionCircleOutlined />} onClick={onHelp} aria-label={t('desk.shortcutsTitle')}>
                F1
              </Button>
            </Tooltip>
          </Space>
        </Col>
      </Row>
    </Card>
  )
}
