import { useState } from 'react'
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Radio,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
  message
} from 'antd'
import { FlagOutlined, PhoneOutlined, PlayCircleOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import type { Dayjs } from 'dayjs'
import { centre } from '../../ui/centre-time'
import { useTranslation } from 'react-i18next'
import { PAYMENT_FREQUENCIES, VISIT_RESULTS, type Visit } from '../../../../shared/contract'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { recordingUrl } from '../../api/files'

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

interface ReportValues {
  result: (typeof VISIT_RESULTS)[number]
  newVisitAt?: Dayjs
  notes?: string
  policy?: {
    product: string
    life: boolean
    termYears: number
    sumInsured: number
    premium: number
    paymentYears: number
    paymentFrequency: (typeof PAYMENT_FREQUENCIES)[number]
    policyNo: string
    receivedOn: Dayjs
  }
}

function VisitCard({ visit, onDone }: { visit: Visit; onDone: () => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const [audio, setAudio] = useState<string | null>(null)
  const [reporting, setReporting] = useState(false)
  const [flagging, setFlagging] = useState(false)
  const [flagReason, setFlagReason] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [form] = Form.useForm<ReportValues>()
  const result = Form.useWatch('result', form)
  const open = visit.state === 'assigned'
  const submit = (v: ReportValues) =>
    void (async () => {
      setError(null)
      try {
        await api.invoke('dispatch.report', {
          dispatchId: visit.id,
          result: v.result,
          ...(v.newVisitAt ? { newVisitAt: centre.instant(v.newVisitAt).toISOString() } : {}),
          ...(v.notes ? { notes: v.notes } : {}),
          ...(v.result === 'signed' && v.policy
            ? { policy: { ...v.policy, receivedOn: v.policy.receivedOn.format('YYYY-MM-DD') } }
            : {})
        })
        void message.success(t('visits.reported'))
        setReporting(false)
        onDone()
      } catch (err) {
        setError(err)
      }
    })()
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
          <Form
            form={form}
            layout="vertical"
            onFinish={submit}
            initialValues={{ result: 'visited', policy: { life: true, paymentFrequency: 'annual' } }}
          >
            <Form.Item name="result" label={t('visits.result')}>
              <Radio.Group options={VISIT_RESULTS.map((r) => ({ value: r, label: t(`visits.results.${r}`) }))} />
            </Form.Item>
            {result === 'rescheduled' && (
              <Form.Item name="newVisitAt" label={t('visits.newVisitAt')} rules={[{ required: true }]}>
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  showNow={false}
                  format="YYYY-MM-DD HH:mm"
                  style={{ width: '100%' }}
                />
              </Form.Item>
            )}
            {result === 'signed' && (
              <>
                <Form.Item name={['policy', 'product']} label={t('visits.policy.product')} rules={[{ required: true }]}>
                  <Input maxLength={64} />
                </Form.Item>
                <Form.Item
                  name={['policy', 'policyNo']}
                  label={t('visits.policy.policyNo')}
                  rules={[{ required: true }]}
                >
                  <Input maxLength={64} />
                </Form.Item>
                <Space wrap>
                  <Form.Item
                    name={['policy', 'sumInsured']}
                    label={t('visits.policy.sumInsured')}
                    rules={[{ required: true }]}
                  >
                    <InputNumber min={0} style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item
                    name={['policy', 'premium']}
                    label={t('visits.policy.premium')}
                    rules={[{ required: true }]}
                  >
                    <InputNumber min={0} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item
                    name={['policy', 'termYears']}
                    label={t('visits.policy.termYears')}
                    rules={[{ required: true }]}
                  >
                    <InputNumber min={0} max={100} style={{ width: 100 }} />
                  </Form.Item>
                  <Form.Item
                    name={['policy', 'paymentYears']}
                    label={t('visits.policy.paymentYears')}
                    rules={[{ required: true }]}
                  >
                    <InputNumber min={1} max={100} style={{ width: 100 }} />
                  </Form.Item>
                  <Form.Item name={['policy', 'paymentFrequency']} label={t('visits.policy.paymentFrequency')}>
                    <Select
                      style={{ width: 110 }}
                      options={PAYMENT_FREQUENCIES.map((f) => ({ value: f, label: t(`visits.frequencies.${f}`) }))}
                    />
                  </Form.Item>
                  <Form.Item
                    name={['policy', 'receivedOn']}
                    label={t('visits.policy.receivedOn')}
                    rules={[{ required: true }]}
                  >
                    <DatePicker />
                  </Form.Item>
                  <Form.Item name={['policy', 'life']} label={t('visits.policy.life')} valuePropName="checked">
                    <Switch />
                  </Form.Item>
                </Space>
              </>
            )}
            <Form.Item name="notes" label={t('visits.notes')}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block data-testid="submit-visit">
              {t('visits.submit')}
            </Button>
          </Form>
        )}
      </Space>
    </Card>
  )
}
