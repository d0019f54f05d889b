import { useState } from 'react'
import { Alert, App, Button, DatePicker, Form, Input, Modal, Select } from 'antd'
import { ExclamationCircleOutlined } from '@ant-design/icons'
import dayjs, { type Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import type { Input as In } from '../../../../shared/contract'
import { CASE_CATEGORIES, CASE_CHANNELS } from '../../../../shared/contract/enums'
import { errorText } from '../../api/errors'
import { useMethodMutation } from '../../api/queries'

type OpenForm = Omit<In<'complaints.open'>, 'receivedOn'> & { receivedOn?: Dayjs }

/** A complaint registered by hand (a number) or, with @callId / @leadId, from a call or a visit. */
export function OpenCaseModal({
  open,
  onClose,
  callId,
  leadId,
  defaultChannel = 'hotline'
}: {
  open: boolean
  onClose: () => void
  callId?: number
  leadId?: number
  defaultChannel?: In<'complaints.open'>['channel']
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<OpenForm>()
  const create = useMethodMutation('complaints.open', [['complaints.list']])
  const byHand = callId === undefined && leadId === undefined
  return (
    <Modal
      open={open}
      title={t('complaints.open')}
      okText={t('complaints.open')}
      confirmLoading={create.isPending}
      onCancel={onClose}
      destroyOnHidden
      onOk={() =>
        void form.validateFields().then((v) =>
          create.mutate(
            {
              ...v,
              ...(callId !== undefined ? { callId } : {}),
              ...(leadId !== undefined ? { leadId } : {}),
              receivedOn: v.receivedOn ? v.receivedOn.format('YYYY-MM-DD') : undefined
            },
            {
              onSuccess: (c) => {
                void message.success(t('complaints.opened', { id: c.id }))
                onClose()
              }
            }
          )
        )
      }
    >
      {create.error && <Alert type="error" showIcon title={errorText(t, create.error)} style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical" initialValues={{ channel: defaultChannel, category: 'other' }}>
        <Form.Item name="category" label={t('complaints.category')} rules={[{ required: true }]}>
          <Select options={CASE_CATEGORIES.map((c) => ({ value: c, label: t(`complaints.categories.${c}`) }))} />
        </Form.Item>
        <Form.Item noStyle dependencies={['category']}>
          {({ getFieldValue }) =>
            getFieldValue('category') === 'harassment' ? (
              <Alert type="warning" showIcon title={t('complaints.harassmentHint')} style={{ marginBottom: 12 }} />
            ) : null
          }
        </Form.Item>
        <Form.Item name="channel" label={t('complaints.channel')} rules={[{ required: true }]}>
          <Select options={CASE_CHANNELS.map((c) => ({ value: c, label: t(`complaints.channels.${c}`) }))} />
        </Form.Item>
        {byHand && (
          <Form.Item name="phone" label={t('complaints.phone')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={20} />
          </Form.Item>
        )}
        <Form.Item name="summary" label={t('complaints.summary')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="answerContact" label={t('complaints.answerContact')}>
          <Input maxLength={200} />
        </Form.Item>
        {byHand && (
          <Form.Item name="receivedOn" label={t('complaints.receivedOn')}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  )
}

/** 登记投诉 on the desk: a complaint about the call in hand (the operator's own call). */
export function ComplaintButton({ callId }: { callId: number }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  return (
    <>
      <Button
        size="small"
        icon={<ExclamationCircleOutlined />}
        onClick={() => setOpen(true)}
        data-testid="desk-complaint"
      >
        {t('complaints.openFromCall')}
      </Button>
      <OpenCaseModal open={open} onClose={() => setOpen(false)} callId={callId} defaultChannel="call" />
    </>
  )
}
