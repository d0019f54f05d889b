import { useEffect, useState } from 'react'
import { Button, Card, Col, Progress, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd'
import { CustomerServiceOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Live } from '../../../../shared/contract'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { centre } from '../../ui/centre-time'
import { useTeamScope } from '../teams/TeamScope'
import { MonitorPanel } from '../monitor/MonitorPanel'
import { UncoveredAlert } from '../dispatch/UncoveredAlert'

const STATE_COLOR: Record<string, string> = {
  ready: 'green',
  dialing: 'blue',
  on_call: 'red',
  wrap_up: 'gold',
  paused: 'orange',
  offline: 'default'
}

function mmss(s: number): string {
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** How long since: the page's own clock ticks it; the server is asked only when something changed. */
function Since({ at }: { at: string | null }) {
  const [now, setNow] = useState<number | null>(null)
  useEffect(() => {
    const tick = () => setNow(centre.now().getTime())
    const first = setTimeout(tick, 0)
    const id = setInterval(tick, 1000)
    return () => {
      clearTimeout(first)
      clearInterval(id)
    }
  }, [])
  if (!at || now === null) return null
  return (
    <Typography.Text type="secondary">
      {mmss(Math.max(0, Math.floor((now - new Date(at).getTime()) / 1000)))}
    </Typography.Text>
  )
}

/**
 * 实时看板: every operator's state (with how long) and today's figures against the target, each
 * campaign's figures and queue health (what is dialable now, and why the rest is not), and what is
 * overdue. Updated by events from core (agent states, calls, outcomes, dispatches), not by polling.
 */
export function WallboardPage() {
  const { t } = useTranslation()
  const api = useApi()
  const { scope, picker } = useTeamScope()
  const live = useQuery({
    queryKey: ['reports.live', scope],
    queryFn: () => api.invoke('reports.live', { teamId: scope })
  })
  const missed = useQuery({
    queryKey: ['desk.missedCallbacks', scope],
    queryFn: () => api.invoke('desk.missedCallbacks', { teamId: scope })
  })
  useInvalidateOn('board.changed', ['reports.live'])
  useInvalidateOn('board.changed', ['desk.missedCallbacks'])
  const monitors = useQuery({ queryKey: ['monitor.active'], queryFn: () => api.invoke('monitor.active', {}) })
  useInvalidateOn('board.changed', ['monitor.active'])
  const [monitoring, setMonitoring] = useState<{ operatorId: number; name: string } | null>(null)
  useInvalidateOn('dispatch.changed', ['reports.live'])
  useInvalidateOn('leads.changed', ['reports.live'])
  const d = live.data
  const counts = (d?.operators ?? []).reduce<Record<string, number>>(
    (m, b) => ((m[b.state] = (m[b.state] ?? 0) + 1), m),
    {}
  )
  const monitoredBy = new Map((monitors.data ?? []).map((m) => [m.operatorId, m.supervisorName]))
  return (
    <Row gutter={[16, 16]}>
      {monitoring && (
        <Col xs={24}>
          <MonitorPanel
            key={monitoring.operatorId}
            operatorId={monitoring.operatorId}
            name={monitoring.name}
            onClose={() => setMonitoring(null)}
          />
        </Col>
      )}
      {!!d?.uncovered.length && (
        <Col xs={24}>
          <UncoveredAlert uncovered={d.uncovered} />
        </Col>
      )}
      <Col xs={24}>
        <Card
          size="small"
          title={t('reports.live.overdue')}
          extra={
            <Space>
              {picker}
              <Typography.Text type="secondary" data-testid="figures-rule">
                {t('reports.simulatedRule')}
              </Typography.Text>
            </Space>
          }
        >
          <Row gutter={16} data-testid="overdue">
            {(['callbacks', 'dispatches', 'followUps'] as const).map((k) => (
              <Col key={k} span={6}>
                <Statistic
                  title={t(`reports.live.overdue${k[0].toUpperCase()}${k.slice(1)}`)}
                  value={d?.overdue[k] ?? 0}
                  valueStyle={{ color: d?.overdue[k] ? '#cf1322' : undefined }}
                />
              </Col>
            ))}
            <Col span={6} data-testid="return-calls">
              <Statistic
                title={t('reports.live.returnCalls')}
                value={d?.returnCalls.waiting ?? 0}
                suffix={
                  d?.returnCalls.overdue ? (
                    <Typography.Text type="danger" style={{ fontSize: 14 }}>
                      {t('reports.live.returnCallsOverdue', { n: d.returnCalls.overdue })}
                    </Typography.Text>
                  ) : null
                }
                valueStyle={{ color: d?.returnCalls.waiting ? '#d46b08' : undefined }}
              />
            </Col>
            <Col span={6} data-testid="backup-state">
              <Typography.Text type="secondary">{t('wallboard.backup.title')}</Typography.Text>
              <div style={{ marginTop: 4 }}>
                {!d?.backup.last ? (
                  <Tag color="orange">
                    {t(d?.backup.scheduled ? 'wallboard.backup.none' : 'wallboard.backup.notSet')}
                  </Tag>
                ) : d.backup.last.ok ? (
                  <Tag color="green">
                    {t('wallboard.backup.ok', { at: centre.format(d.backup.last.at, 'MM-DD HH:mm') })}
                  </Tag>
                ) : (
                  <Tag color="red" title={d.backup.last.message ?? undefined}>
                    {t('wallboard.backup.failed', { at: centre.format(d.backup.last.at, 'MM-DD HH:mm') })}
                  </Tag>
                )}
                {d?.backup.last && !d.backup.scheduled && <Tag color="orange">{t('wallboard.backup.notSet')}</Tag>}
                {d?.backup.last && !d.backup.last.ok && d.backup.last.message && (
                  <Typography.Paragraph
                    type="danger"
                    ellipsis={{ rows: 2 }}
                    style={{ margin: '4px 0 0', fontSize: 12 }}
                  >
                    {d.backup.last.message}
                  </Typography.Paragraph>
                )}
              </div>
            </Col>
            {d && d.callerPool.active + d.callerPool.suspended > 0 && (
              <Col span={6} data-testid="caller-pool">
                <Typography.Text type="secondary">{t('wallboard.callerPool.title')}</Typography.Text>
                <div style={{ marginTop: 4 }}>
                  <Tag color="green">{t('wallboard.callerPool.active', { n: d.callerPool.active })}</Tag>
                  {d.callerPool.suspended > 0 && (
                    <Tag color="red">{t('wallboard.callerPool.suspended', { n: d.callerPool.suspended })}</Tag>
                  )}
                  {d.callerPool.atCap > 0 && (
                    <Tag color="orange">{t('wallboard.callerPool.atCap', { n: d.callerPool.atCap })}</Tag>
                  )}
                  <div style={{ marginTop: 4 }}>
                    {t('wallboard.callerPool.answered', {
                      calls: d.callerPool.calls,
                      rate: d.callerPool.calls ? Math.round((d.callerPool.answered / d.callerPool.calls) * 100) : 0
                    })}
                  </div>
                </div>
              </Col>
            )}
            {d?.archive && (
              <Col span={6} data-testid="recordings-archive">
                <Typography.Text type="secondary">{t('wallboard.archive.title')}</Typography.Text>
                <div style={{ marginTop: 4 }}>
                  {d.archive.failing > 0 ? (
                    <Tag color="red" title={d.archive.lastError ?? undefined}>
                      {t('wallboard.archive.failing', { n: d.archive.localOnly })}
                    </Tag>
                  ) : d.archive.localOnly > 0 ? (
                    <Tag color="blue">{t('wallboard.archive.waiting', { n: d.archive.localOnly })}</Tag>
                  ) : (
                    <Tag color="green">{t('wallboard.archive.ok')}</Tag>
                  )}
                  {d.archive.oldestWaitingAt && d.archive.failing > 0 && (
                    <div style={{ marginTop: 4 }}>
                      {t('wallboard.archive.since', { at: centre.format(d.archive.oldestWaitingAt, 'MM-DD HH:mm') })}
                    </div>
                  )}
                </div>
              </Col>
            )}
          </Row>
        </Card>
      </Col>
      <Col xs={24} xl={14}>
        <Card
          title={t('wallboard.agents')}
          size="small"
          extra={Object.entries(counts).map(([s, n]) => (
            <Tag key={s} color={STATE_COLOR[s]}>{`${t(`desk.agentStates.${s}`)} ${n}`}</Tag>
          ))}
        >
          <Table<Live['operators'][number]>
            size="small"
            rowKey="operatorId"
            loading={live.isLoading}
            dataSource={d?.operators ?? []}
            pagination={false}
            data-testid="agent-board"
            columns={[
              { title: t('wallboard.operator'), dataIndex: 'name' },
              {
                title: t('wallboard.state'),
                key: 'state',
                render: (_, b) => (
                  <Space size={4} wrap>
                    <Tag color={STATE_COLOR[b.state]} data-testid="agent-state">
                      {t(`desk.agentStates.${b.state}`)}
                      {b.reason === 'disconnected'
                        ? ` · ${t('wallboard.disconnected')}`
                        : b.reason
                          ? ` · ${t(`desk.pauseReasons.${b.reason}`)}`
                          : ''}
                    </Tag>
                    {monitoredBy.has(b.operatorId) && (
                      <Tag color="purple">{t('monitor.by', { name: monitoredBy.get(b.operatorId) })}</Tag>
                    )}
                    {b.reason === 'disconnected' && b.since && (
                      <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }} data-testid="went-at">
                        {t('wallboard.wentAt', { at: centre.format(b.since, 'HH:mm:ss') })}
                      </Typography.Text>
                    )}
                  </Space>
                )
              },
              {
                title: t('wallboard.since'),
                key: 'since',
                render: (_, b) => (
                  <span style={{ whiteSpace: 'nowrap' }}>
                    <Since at={b.since} />
                  </span>
                )
              },
              { title: t('reports.cols.calls'), dataIndex: 'calls' },
              { title: t('reports.cols.connected'), dataIndex: 'connected' },
              { title: t('reports.cols.talkSec'), dataIndex: 'talkSec', render: (s: number) => mmss(s) },
              {
                title: `${t('reports.cols.successes')} / ${t('reports.live.target')}`,
                key: 'target',
                render: (_, b) => (
                  <Tooltip title={`${b.successes} / ${b.target}`}>
                    <Progress
                      percent={b.target ? Math.round((b.successes / b.target) * 100) : 0}
                      size="small"
                      format={() => `${b.successes}/${b.target}`}
                      style={{ width: 120 }}
                    />
                  </Tooltip>
                )
              },
              {
                title: t('common.actions'),
                key: 'monitor',
                render: (_, b) =>
                  b.state === 'on_call' ? (
                    <Button
                      size="small"
                      icon={<CustomerServiceOutlined />}
                      disabled={monitoring?.operatorId === b.operatorId}
                      onClick={() => setMonitoring({ operatorId: b.operatorId, name: b.name })}
                    >
                      {t('monitor.listen')}
                    </Button>
                  ) : null
              }
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Card title={t('reports.live.campaigns')} size="small">
          {(d?.campaigns ?? []).map((c) => (
            <div key={c.campaignId} style={{ marginBottom: 12 }} data-testid="queue-health">
              <Typography.Text strong>{c.name}</Typography.Text>{' '}
              {!c.windowOpen && <Tag color="orange">{t('reports.live.windowClosed')}</Tag>}
              <div>
                {t('reports.live.today')}
                {t('common.colon')}
                {t('reports.cols.calls')} {c.calls} · {t('reports.cols.connected')} {c.connected} ·{' '}
                {t('reports.cols.successes')} {c.successes}
              </div>
              <div>
                {(['dialableNow', 'outsideWindow', 'retryPending', 'held', 'exhausted', 'dnc', 'done'] as const).map(
                  (k) => (
                    <Tag
                      key={k}
                      color={k === 'dialableNow' ? (c[k] ? 'green' : 'red') : undefined}
                    >{`${t(`reports.live.${k}`)} ${c[k]}`}</Tag>
                  )
                )}
              </div>
            </div>
          ))}
        </Card>
        <Card title={t('wallboard.missedCallbacks')} size="small" style={{ marginTop: 16 }}>
          <Table
            size="small"
            rowKey="id"
            loading={missed.isLoading}
            dataSource={missed.data ?? []}
            pagination={{ pageSize: 20 }}
            data-testid="missed-callbacks"
            columns={[
              { title: t('wallboard.customer'), dataIndex: 'name' },
              { title: t('wallboard.phone'), dataIndex: 'phone' },
              { title: t('wallboard.dueAt'), dataIndex: 'dueAt', render: (x: string) => centre.format(x) },
              {
                title: t('wallboard.owner'),
                dataIndex: 'operator',
                render: (x: string | null) => x ?? <Tag>{t('wallboard.open')}</Tag>
              }
            ]}
          />
        </Card>
      </Col>
    </Row>
  )
}
