import { lazy, Suspense, useState } from 'react'
import { Alert, Button, Card, Empty, Input, List, Skeleton, Space, Tag, Typography, message } from 'antd'
import { FlagOutlined, PhoneOutlined, PlayCircleOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { centre } from '../../ui/centre-time'
import { useTranslation } from 'react-i18next'
import type { Visit } from '../../../../shared/contract'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { recordingUrl } from '../../api/files'

// the report's form (dates, numbers, the policy) is code a phone loads only when the agent reports a visit
const VisitReportForm = lazy(() => import('./VisitReportForm').then((m) => ({ default: m.VisitReportForm })))

/** 我的拜访 (field agent, a phone screen): today's and upcoming visits with what the customer agreed to share, the call, and the report. */
export function VisitsPage() {
  const { t } = useTranslation()
  const api = useApi()
  const visits = useQuery({ queryKey: ['dispatch.myVisits'], queryFn: () => api.invoke('dispatch.myVisits', {}) })
  useInvalidateOn('dispatch.changed', ['dispatch.myVisits'])
  if (!visits.isLoading && !visits.data?.length) return <Empty description={t('visits.empty')} />
  return (
    <List
      data-testid="visits"
      loading={visits.isLoading}
      dataSource={visits.data ?? []}
      renderItem={(v) => (
        <List.Item style={{ padding: '6px 0' }}>
          <VisitCard visit={v} onDone={() => void visits.refetch()} />
        </List.Item>
      )}
    />
  )
}

function VisitCard({ visit, onDone }: { visit: Visit; onDone: () => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const [audio, setAudio] = useState<string | null>(null)
  const [reporting, setReporting] = useState(false)
  const [flagging, setFlagging] = useState(false)
  const [flagReason, setFlagReason] = useState('')
  const [error, setError] = useState<unknown>(null)
  const open = visit.state === 'assigned'
  return (
    <Card
      size="small"
      style={{ width: '100%' }}
      data-testid="visit"
      title={
        <Space wrap>
          {visit.customerName}
          <Tag>{visit.district}</Tag>
          {!open && <Tag color="green">{t(`dispatch.states.${visit.state}`)}</Tag>}
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text strong>{centre.format(visit.visitAt, 'YYYY-MM-DD HH:mm')}</Typography.Text>
        <Typography.Text>{visit.address ?? '—'}</Typography.Text>
        {visit.productInterest && (
          <Typography.Text type="secondary">
            {t('dispatch.ui.product')}：{visit.productInterest}
          </Typography.Text>
        )}
        <Space wrap>
          <Button icon={<PhoneOutlined />} href={`tel:${visit.phone}`} data-testid="tel">
            {visit.phone}
          </Button>
          {visit.recordingId && (
            <Button
              icon={<PlayCircleOutlined />}
              onClick={() => void recordingUrl(api, visit.recordingId!).then(setAudio, (err: unknown) => setError(err))}
            >
              {t('visits.listen')}
            </Button>
          )}
          {visit.callId && (
            <Button icon={<FlagOutlined />} onClick={() => setFlagging(!flagging)}>
              {t('qa.review.flag')}
            </Button>
          )}
          {open && (
            <Button type="primary" onClick={() => setReporting(!reporting)}>
              {t('visits.report')}
            </Button>
          )}
        </Space>
        {flagging && (
          <Space.Compact style={{ width: '100%' }}>
            <Input
              value={flagReason}
              onChange={(e) => setFlagReason(e.target.value)}
              maxLength={500}
              placeholder={t('qa.review.flagReason')}
              aria-label={t('qa.review.flagReason')}
            />
            <Button
              disabled={!flagReason.trim()}
              onClick={() =>
                void api.invoke('qa.flag', { callId: visit.callId!, reason: flagReason.trim() }).then(
                  () => {
                    void message.success(t('qa.review.flagged'))
                    setFlagging(false)
                    setFlagReason('')
                  },
                  (err: unknown) => setError(err)
                )
              }
            >
              {t('visits.submit')}
            </Button>
          </Space.Compact>
        )}
        {audio && <audio controls autoPlay src={audio} style={{ width: '100%' }} data-testid="visit-audio" />}
        {error !== null && <Alert type="error" showIcon title={errorText(t, error)} />}
        {reporting && (
          <Suspense fallback={<Skeleton active paragraph={{ rows: 4 }} />}>
            <VisitReportForm
              visit={visit}
              onError={setError}
              onDone={() => {
                setReporting(false)
                onDone()
              }}
            />
          </Suspense>
        )}
      </Space>
    </Card>
  )
}
