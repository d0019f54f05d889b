import { forwardRef, useEffect, useImperativeHandle, useState } from 'react'
import { Alert, AutoComplete, Button, Card, Checkbox, DatePicker, Form, Input, Radio, Space, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import dayjs, { type Dayjs } from 'dayjs'
import { centre } from '../../ui/centre-time'
import type { DeskLead, Disposition } from '../../../../shared/contract'
import { errorText } from '../../api/errors'
import { useMethodQuery, keys } from '../../api/queries'
import { keyLabel } from './shortcuts'
import { DistrictSelect } from '../../ui/DistrictSelect'

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

type FormValues = {
  disposition?: string
  notes?: string
  callbackAt?: Dayjs
  callbackOpen?: boolean
  visitAt?: Dayjs
  districtCode?: string
  consent?: boolean
  productInterest?: string
}

/**
 * What the operator has filled in, kept on the seat until it is saved: a reload, a crash or a
 * closed tab during wrap-up brings the call back (core knows it owes an outcome) with its form.
 */
export const outcomeDrafts = {
  read(key: string): FormValues | null {
    try {
      const raw = JSON.parse(localStorage.getItem(key) ?? 'null') as
        (Omit<FormValues, 'callbackAt' | 'visitAt'> & { callbackAt?: string; visitAt?: string }) | null
      if (!raw) return null
      return {
        ...raw,
        callbackAt: raw.callbackAt ? dayjs(raw.callbackAt) : undefined,
        visitAt: raw.visitAt ? dayjs(raw.visitAt) : undefined
      }
    } catch {
      return null
    }
  },
  write(key: string, v: FormValues): void {
    localStorage.setItem(
      key,
      JSON.stringify({ ...v, callbackAt: v.callbackAt?.format(FORMAT), visitAt: v.visitAt?.format(FORMAT) })
    )
  },
  remove(key: string): void {
    localStorage.removeItem(key)
  }
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i)

/** The visit time picker offers the centre's visit hours from now on (in the centre's wall time, like every picker). */
export function visitPicker(hours: { start: string; end: string }, now: () => Dayjs = () => centre.wallNow()) {
  const start = minutesOf(hours.start)
  const end = minutesOf(hours.end)
  const earliest = (d: Dayjs) =>
    d.isSame(now(), 'day') ? Math.max(start, now().hour() * 60 + now().minute() + 1) : start
  return {
    disabledDate: (d: Dayjs) => d.isBefore(now().startOf('day')) || (d.isSame(now(), 'day') && earliest(d) > end),
    disabledTime: (d: Dayjs | null) => {
      const from = earliest(d ?? now())
      return {
        disabledHours: () => [...range(0, Math.floor(from / 60)), ...range(Math.floor(end / 60) + 1, 24)],
        disabledMinutes: (h: number) => [
          ...(h === Math.floor(from / 60) ? range(0, from % 60) : []),
          ...(h === Math.floor(end / 60) ? range((end % 60) + 1, 60) : [])
        ]
      }
    },
    allowed: (d: Dayjs) => {
      const m = d.hour() * 60 + d.minute()
      return !d.isBefore(now()) && m >= start && m <= end
    }
  }
}

/** The customer's own callback is booked inside the legal calling hours (21:00 itself is closed). */
const CALLBACK_HOURS = { start: '09:00', end: '20:59' }

/**
 * 通话结果: the outcome, notes, a callback time, and for a success the agreed visit time, the
 * district (detected from the address, confirmable), the customer's consent to pass their
 * details to a field agent (required, PIPL) and the product of interest.
 */
export const OutcomeForm = forwardRef<
  OutcomeFormHandle,
  {
    lead: DeskLead
    dispositions: Disposition[]
    disabled: boolean
    saving: boolean
    error: unknown
    onSubmit: (v: OutcomeValues) => void
    /** Where the filled-in form is kept until saved (null: nothing to keep yet). */ draftKey: string | null
    /** The script's required steps not ticked on this call: a success says so before it is saved. */
    missingSteps?: string[]
  }
>(function OutcomeForm({ lead, dispositions, disabled, saving, error, onSubmit, draftKey, missingSteps = [] }, ref) {
  const { t } = useTranslation()
  const [form] = Form.useForm<FormValues>()
  const code = Form.useWatch('disposition', form)
  const d = dispositions.find((x) => x.code === code)
  const settings = useMethodQuery('settings.get', {}, keys.settings)
  const hours = settings.data?.visitHours ?? { start: '09:00', end: '20:00' }
  const visitRules = visitPicker(hours)
  // a callback is made inside the legal calling hours (09:00–21:00), from now on
  const callbackRules = visitPicker(CALLBACK_HOURS)
  /** The outcome just picked by key: the first field it needs takes the focus. */
  const [focusFor, setFocusFor] = useState<{ code: string; n: number } | null>(null)

  useEffect(() => {
    form.resetFields()
    form.setFieldsValue({
      districtCode: lead.districtCode ?? undefined,
      ...(draftKey ? outcomeDrafts.read(draftKey) : null)
    })
  }, [lead.id, form, lead.districtCode, draftKey])

  // After an outcome is picked by key, the first field it needs takes the focus — once the form shows
  // that field (a busy seat may take a few frames to render it).
  useEffect(() => {
    if (!focusFor) return
    let tries = 0
    let timer: ReturnType<typeof setTimeout>
    const focus = () => {
      const el = document.querySelector<HTMLElement>(
        `[data-outcome-first="${focusFor.code}"] input, [data-outcome-first="${focusFor.code}"] textarea`
      )
      if (el) el.focus()
      else if (tries++ < 40) timer = setTimeout(focus, 25)
    }
    timer = setTimeout(focus, 0)
    return () => clearTimeout(timer)
  }, [focusFor])

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
      setFocusFor({ code: found.code, n: Date.now() })
    },
    submit
  }))

  return (
    <Card size="small" title={t('desk.outcome.title')} data-testid="outcome-form">
      {error !== undefined && <Alert type="error" showIcon message={errorText(t, error)} style={{ marginBottom: 8 }} />}
      <Form
        form={form}
        layout="vertical"
        size="small"
        disabled={disabled}
        requiredMark
        onValuesChange={(_c, all) => draftKey && !disabled && outcomeDrafts.write(draftKey, all)}
      >
        <Form.Item
          name="disposition"
          rules={[{ required: true, message: t('desk.outcome.pick') }]}
          style={{ marginBottom: 8 }}
        >
          <Radio.Group optionType="button" buttonStyle="solid" size="small" aria-label={t('desk.outcome.title')}>
            <Space wrap size={[4, 4]}>
              {dispositions.map((x) => (
                <Radio.Button key={x.code} value={x.code} title={x.hotkey ? keyLabel(x.hotkey) : undefined}>
                  {x.hotkey ? (
                    <Typography.Text type="secondary" style={{ fontSize: 11, marginRight: 4 }}>
                      {x.hotkey}
                    </Typography.Text>
                  ) : null}
                  {x.label}
                </Radio.Button>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        {d?.callback && (
          <Space align="start" wrap>
            <div data-outcome-first={d.code}>
              <Form.Item
                name="callbackAt"
                label={t('desk.outcome.callbackAt')}
                extra={t('desk.outcome.callbackHours')}
                rules={[
                  { required: true, message: t('errors.callbackTimeRequired') },
                  {
                    validator: (_r, v: Dayjs | undefined) =>
                      !v || callbackRules.allowed(v)
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('desk.outcome.callbackHours')))
                  }
                ]}
              >
                <DatePicker
                  showTime={{ format: 'HH:mm', hideDisabledOptions: true }}
                  showNow={false}
                  format={FORMAT}
                  needConfirm={false}
                  disabledDate={callbackRules.disabledDate}
                  disabledTime={callbackRules.disabledTime}
                  aria-label={t('desk.outcome.callbackAt')}
                />
              </Form.Item>
            </div>
            <Form.Item name="callbackOpen" valuePropName="checked" label=" ">
              <Checkbox>{t('desk.outcome.callbackOpen')}</Checkbox>
            </Form.Item>
          </Space>
        )}
        {d?.success && (
          <>
            {missingSteps.length > 0 && (
              <Alert
                type="warning"
                showIcon
                data-testid="missing-steps-warning"
                message={t('desk.outcome.missingSteps', { steps: missingSteps.join('、') })}
                style={{ marginBottom: 12 }}
              />
            )}
            <Space align="start" wrap>
              <div data-outcome-first={d.code}>
                <Form.Item
                  name="visitAt"
                  label={t('desk.outcome.visitAt')}
                  extra={t('desk.outcome.visitHours', hours)}
                  rules={[
                    { required: true, message: t('errors.visitTimeRequired') },
                    {
                      validator: (_r, v: Dayjs | undefined) =>
                        !v || visitRules.allowed(v)
                          ? Promise.resolve()
                          : Promise.reject(new Error(t('errors.visitOutsideHours', hours)))
                    }
                  ]}
                >
                  <DatePicker
                    showTime={{ format: 'HH:mm', hideDisabledOptions: true }}
                    showNow={false}
                    format={FORMAT}
                    needConfirm={false}
                    disabledDate={visitRules.disabledDate}
                    disabledTime={visitRules.disabledTime}
                    placeholder={t('desk.outcome.visitPlaceholder', hours)}
                    style={{ width: 220 }}
                    aria-label={t('desk.outcome.visitAt')}
                  />
                </Form.Item>
              </div>
              <Form.Item
                name="districtCode"
                label={t('desk.outcome.district')}
                extra={
                  lead.districtCode
                    ? t('desk.outcome.detected', { name: lead.districtName ?? lead.districtCode })
                    : t('desk.outcome.notDetected')
                }
                rules={[{ required: true, message: t('errors.districtRequiredForSuccess') }]}
              >
                <DistrictSelect style={{ width: 180 }} aria-label={t('desk.outcome.district')} />
              </Form.Item>
              <Form.Item name="productInterest" label={t('desk.outcome.product')}>
                <AutoComplete style={{ width: 140 }} options={PRODUCTS.map((p) => ({ value: p }))} />
              </Form.Item>
            </Space>
            <Form.Item
              name="consent"
              valuePropName="checked"
              rules={[
                {
                  validator: (_r, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('errors.consentRequired'))))
                }
              ]}
            >
              <Checkbox>{t('desk.outcome.consent')}</Checkbox>
            </Form.Item>
          </>
        )}
        <div data-outcome-first={d && !d.callback && !d.success ? d.code : undefined}>
          <Form.Item name="notes" label={t('desk.outcome.notes')}>
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
          </Form.Item>
        </div>
        <Button
          type="primary"
          onClick={submit}
          loading={saving}
          disabled={disabled || !code}
          data-testid="save-outcome"
        >
          {t('desk.outcome.save')}{' '}
          <Typography.Text style={{ color: 'inherit', opacity: 0.7, marginLeft: 6, fontSize: 11 }}>
            Ctrl+Enter
          </Typography.Text>
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
