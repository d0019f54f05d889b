import { Button, DatePicker, Form, Input, InputNumber, Radio, Select, Space, Switch, message } from 'antd'
import type { Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import type { Visit } from '../../../../shared/contract'
import { PAYMENT_FREQUENCIES, VISIT_RESULTS } from '../../../../shared/contract/enums'
import { useApi } from '../../api/ApiProvider'
import { centre } from '../../ui/centre-time'

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

/** The visit report: visited, signed with the policy, not interested, absent, rescheduled with the new time. */
export function VisitReportForm({
  visit,
  onDone,
  onError
}: {
  visit: Visit
  onDone: () => void
  onError: (err: unknown) => void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const [form] = Form.useForm<ReportValues>()
  const result = Form.useWatch('result', form)
  const submit = (v: ReportValues) =>
    void (async () => {
      onError(null)
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
        onDone()
      } catch (err) {
        onError(err)
      }
    })()
  return (
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
          <Form.Item name={['policy', 'policyNo']} label={t('visits.policy.policyNo')} rules={[{ required: true }]}>
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
            <Form.Item name={['policy', 'premium']} label={t('visits.policy.premium')} rules={[{ required: true }]}>
              <InputNumber min={0} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name={['policy', 'termYears']} label={t('visits.policy.termYears')} rules={[{ required: true }]}>
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
  )
}
