import { Card, Col, Row, Table, Tag, Typography } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/ApiProvider'

const STATE_COLOR: Record<string, string> = { ready: 'green', dialing: 'blue', on_call: 'red', wrap_up: 'gold', paused: 'orange', offline: 'default' }

function since(iso: string | null): string {
  if (!iso) return ''
  const s = Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** 实时看板 (first part): every operator's state and since when, and callbacks that were not made. */
export function WallboardPage() {
  const { t } = useTranslation()
  const api = useApi()
  const board = useQuery({ queryKey: ['desk.board'], queryFn: () => api.invoke('desk.board', {}), refetchInterval: 5000 })
  const missed = useQuery({ queryKey: ['desk.missedCallbacks'], queryFn: () => api.invoke('desk.missedCallbacks', {}), refetchInterval: 30_000 })
  const counts = (board.data ?? []).reduce<Record<string, number>>((m, b) => ((m[b.state] = (m[b.state] ?? 0) + 1), m), {})
  return (
    <Row gutter={16}>
      <Col xs={24} xl={12}>
        <Card title={t('wallboard.agents')} size="small" extra={Object.entries(counts).map(([s, n]) => <Tag key={s} color={STATE_COLOR[s]}>{`${t(`desk.agentStates.${s}`)} ${n}`}</Tag>)}>
          <Table
            size="small"
            rowKey="operatorId"
            loading={board.isLoading}
            dataSource={board.data ?? []}
            pagination={false}
            data-testid="agent-board"
            columns={[
              { title: t('wallboard.operator'), dataIndex: 'name' },
              { title: t('wallboard.state'), render: (_, b) => <Tag color={STATE_COLOR[b.state]}>{t(`desk.agentStates.${b.state}`)}{b.reason ? ` · ${t(`desk.pauseReasons.${b.reason}`)}` : ''}</Tag> },
              { title: t('wallboard.since'), render: (_, b) => <Typography.Text type="secondary">{since(b.since)}</Typography.Text> }
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('wallboard.missedCallbacks')} size="small">
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
              { title: t('wallboard.dueAt'), dataIndex: 'dueAt', render: (x: string) => new Date(x).toLocaleString() },
              { title: t('wallboard.owner'), dataIndex: 'operator', render: (x: string | null) => x ?? <Tag>{t('wallboard.open')}</Tag> }
            ]}
          />
        </Card>
      </Col>
    </Row>
  )
}
