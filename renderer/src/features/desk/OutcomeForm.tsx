import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react'
import { Alert, AutoComplete, Button, Card, Checkbox, DatePicker, Form, Input, Radio, Select, Space, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { Dayjs } from 'dayjs'
import { centre } from '../../ui/centre-time'
import type { DeskLead, Disposition } from '../../../../shared/contract'
import { errorText } from '../../api/errors'
import { useMethodQuery, keys } from '../../api/queries'
import { keyLabel } from './shortcuts'

export interface OutcomeValues {
  disposition: string
  notes?: string
  callbackAt?: string
  callbackOpen?: boolean
  visitAt?: string
  districtCode?: string
  consent?: boolean
  productInterest?: string
}

export interface OutcomeFormHandle {
  pick(hotkey: string): void
  submit(): void
}

const PRODUCTS = ['重疾险', '医疗险', '寿险', '年金险', '意外险', '教育金']
const FORMAT = 'YYYY-MM-DD HH:mm'

/**
 * 通话结果: the outcome, notes, a callback time, and for a success the agreed visit time, the
 * district (detected from the address, confirmable), the customer's consent to pass their
 * details to a field agent (required, PIPL) and the product of interest.
 */
export const OutcomeForm = forwardRef<OutcomeFormHandle, { lead: DeskLead; dispositions: Disposition[]; disabled: boolean; saving: boolean; error: unknown; onSubmit: (v: OutcomeValues) => void }>(function OutcomeForm(
  { lead, dispositions, disabled, saving, error, onSubmit },
  ref
) {
  const { t } = useTranslation()
  const [form] = Form.useForm<{ disposition?: string; notes?: string; callbackAt?: Dayjs; callbackOpen?: boolean; visitAt?: Dayjs; districtCode?: string; consent?: boolean; productInterest?: string }>()
  const code = Form.useWatch('disposition', form)
  const d = dispositions.find((x) => x.code === code)
  const districts = useMethodQuery('districts.list', {}, keys.districts)
  const firstField = useRef<HTMLElement | null>(null)
  const [focusNext, setFocusNext] = useState(0)

  useEffect(() => {
    form.resetFields()
    form.setFieldsValue({ districtCode: lead.districtCode ?? undefined })
  }, [lead.id, form, lead.districtCode])

  // After an outcome is picked by key, the first field it needs takes the focus.
  useEffect(() => {
    if (focusNext) setTimeout(() => (document.querySelector<HTMLElement>('[data-outcome-first] input, [data-outcome-first] textarea') ?? firstField.current)?.focus(), 50)
  }, [focusNext])

  const submit = () => {
    if (disabled || saving) return
    void form.validateFields().then((v) => {
      if (!v.disposition) return
      onSubmit({
        disposition: v.disposition,
        notes: v.notes?.trim() || undefined,
        callbackAt: v.callbackAt ? centre.instant(v.callbackAt).toISOString() : undefined,
        callbackOpen: v.callbackOpen || undefined,
        visitAt: v.visitAt ? centre.instant(v.visitAt).toISOString() : undefined,
        districtCode: v.districtCode,
        consent: v.consent || undefined,
        productInterest: v.productInterest?.trim() || undefined
      })
    })
  }

  useImperativeHandle(ref, () => ({
    pick: (hotkey) => {
      const found = dispositions.find((x) => x.hotkey === hotkey)
      if (!found || disabled) return
      form.setFieldsValue({ disposition: found.code })
      setFocusNext((n) => n + 1)
    },
    submit
  }))

  return (
    <Card size="small" title={t('desk.outcome.title')} data-testid="outcome-form">
      {error !== undefined && <Alert type="error" showIcon message={errorText(t, error)} style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical" size="small" disabled={disabled} requiredMark>
        <Form.Item name="disposition" rules={[{ required: true, message: t('desk.outcome.pick') }]} style={{ marginBottom: 8 }}>
          <Radio.Group optionType="button" buttonStyle="solid" size="small" aria-label={t('desk.outcome.title')}>
            <Space wrap size={[4, 4]}>
              {dispositions.map((x) => (
                <Radio.Button key={x.code} value={x.code} title={x.hotkey ? keyLabel(x.hotkey) : undefined}>
                  {x.hotkey ? <Typography.Text type="secondary" style={{ fontSize: 11, marginRight: 4 }}>{x.hotkey}</Typography.Text> : null}
                  {x.label}
                </Radio.Button>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        {d?.callback && (
          <Space align="start" wrap>
            <div data-outcome-first>
              <Form.Item name="callbackAt" label={t('desk.outcome.callbackAt')} rules={[{ required: true, message: t('errors.callbackTimeRequired') }]}>
                <DatePicker showTime={{ format: 'HH:mm' }} showNow={false} format={FORMAT} needConfirm={false} aria-label={t('desk.outcome.callbackAt')} />
              </Form.Item>
            </div>
            <Form.Item name="callbackOpen" valuePropName="checked" label=" ">
              <Checkbox>{t('desk.outcome.callbackOpen')}</Checkbox>
            </Form.Item>
          </Space>
        )}
        {d?.success && (
          <>
            <Space align="start" wrap>
              <div data-outcome-first>
                <Form.Item name="visitAt" label={t('desk.outcome.visitAt')} rules={[{ required: true, message: t('errors.visitTimeRequired') }]}>
                  <DatePicker showTime={{ format: 'HH:mm' }} showNow={false} format={FORMAT} needConfirm={false} aria-label={t('desk.outcome.visitAt')} />
                </Form.Item>
              </div>
              <Form.Item
                name="districtCode"
                label={t('desk.outcome.district')}
                extra={lead.districtCode ? t('desk.outcome.detected', { name: lead.districtName ?? lead.districtCode }) : t('desk.outcome.notDetected')}
                rules={[{ required: true, message: t('errors.districtRequiredForSuccess') }]}
              >
                <Select style={{ width: 160 }} showSearch optionFilterProp="label" options={(districts.data ?? []).map((x) => ({ value: x.code, label: x.name }))} aria-label={t('desk.outcome.district')} />
              </Form.Item>
              <Form.Item name="productInterest" label={t('desk.outcome.product')}>
                <AutoComplete style={{ width: 140 }} options={PRODUCTS.map((p) => ({ value: p }))} />
              </Form.Item>
            </Space>
            <Form.Item name="consent" valuePropName="checked" rules={[{ validator: (_r, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('errors.consentRequired')))) }]}>
              <Checkbox>{t('desk.outcome.consent')}</Checkbox>
            </Form.Item>
          </>
        )}
        <div data-outcome-first={d && !d.callback && !d.success ? true : undefined}>
          <Form.Item name="notes" label={t('desk.outcome.notes')}>
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
          </Form.Item>
        </div>
        <Button type="primary" onClick={submit} loading={saving} disabled={disabled || !code} data-testid="save-outcome">
          {t('desk.outcome.save')} <Typography.Text style={{ color: 'inherit', opacity: 0.7, marginLeft: 6, fontSize: 11 }}>Ctrl+Enter</Typography.Text>
        </Button>
        {d?.dncDays !== null && d?.dncDays !== undefined && (
          <Typography.Paragraph type="warning" style={{ marginTop: 8 }}>
            {d.dncDays === 0 ? t('desk.outcome.dncForever') : t('desk.outcome.dncFor', { days: d.dncDays })}
          </Typography.Paragraph>
        )}
      </Form>
    </Card>
  )
})
