import { useState } from 'react'
import { Alert, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { clockOf, useHashParams } from '../shell/use-hash-params'
import { ReviewView } from './ReviewView'
import { ReasonTags, pct } from './parts'
import { centre } from '../../ui/centre-time'

/** 质检队列: successes waiting at the gate first, then samples, flags and metric rules; claim and score. */
export function ReviewQueuePage() {
  const { t } = useTranslation()
  const api = useApi()
  const [params, setParams] = useHashParams()
  const rec = Number(params.get('rec') ?? 0)
  const queue = useQuery({ queryKey: ['qa.queue'], queryFn: () => api.invoke('qa.queue', {}), enabled: !rec })
  useInvalidateOn('qa.changed', ['qa.queue'])
  const [error, setError] = useState<unknown>(null)
  const open = (id: number) => setParams({ rec: String(id), t: null })
  if (rec) return <ReviewView recordingId={rec} onBack={() => setParams({ rec: null, t: null })} />

  const claim = async (callId?: number) => {
    setError(null)
    try {
      const c = await api.invoke('qa.claim', callId === undefined ? {} : { callId })
      if (c) open(c.recordingId)
      else await queue.refetch()
    } catch (err) {
      setError(err)
    }
  }
  return (
    <Card
      size="small"
      title={t('nav.reviewQueue')}
      extra={
        <Button type="primary" onClick={() => claim()} disabled={!queue.data?.length} data-testid="claim-next">
          {t('qa.queue.claimNext')}
        </Button>
      }
    >
      {error !== null && (
        <Alert
          type="error"
          showIcon
          title={errorText(t, error)}
          style={{ marginBottom: 8 }}
          closable
          onClose={() => setError(null)}
        />
      )}
      <Table
        size="small"
        rowKey="callId"
        loading={queue.isLoading}
        dataSource={queue.data ?? []}
        pagination={{ pageSize: 50 }}
        locale={{ emptyText: <Empty description={t('qa.queue.empty')} /> }}
        data-testid="review-queue"
        columns={[
          { title: t('qa.queue.addedAt'), dataIndex: 'addedAt', render: (x: string) => centre.format(x) },
          { title: t('qa.library.time'), dataIndex: 'startedAt', render: (x: string) => centre.format(x) },
          { title: t('qa.library.operator'), dataIndex: 'operatorName' },
          { title: t('qa.library.customer'), dataIndex: 'customerName' },
          { title: t('qa.library.outcome'), dataIndex: 'outcome' },
          { title: t('qa.library.duration'), dataIndex: 'durationMs', render: (x: number) => clockOf(x / 1000) },
          {
            title: t('qa.metrics.talkOverShare'),
            key: 'to',
            render: (_, r) => (r.metrics ? pct(r.metrics.talkOverShare) : '—')
          },
          {
            title: t('qa.queue.reasons'),
            key: 'reasons',
            render: (_, r) => (
              <Space size={0} wrap>
                {r.gate && <Tag color="red">{t('qa.queue.gateTag')}</Tag>}
                <ReasonTags reasons={r.reasons} />
              </Space>
            )
          },
          {
            title: '',
            key: 'claim',
            render: (_, r) =>
              r.mine ? (
                <Typography.Link onClick={() => open(r.recordingId)}>{t('qa.queue.mine')}</Typography.Link>
              ) : r.claimedBy ? (
                <Space>
                  <Tag color="orange">{t('qa.queue.claimedBy', { name: r.claimedBy })}</Tag>
                  <Typography.Link onClick={() => open(r.recordingId)}>{t('qa.queue.open')}</Typography.Link>
                </Space>
              ) : (
                <Button size="small" onClick={() => claim(r.callId)}>
                  {t('qa.queue.claim')}
                </Button>
              )
          }
        ]}
      />
    </Card>
  )
}
