import { useState } from 'react'
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
  message
} from 'antd'
import { PhoneOutlined, StopOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { FollowUp, Output } from '../../../../shared/contract'
import { COMPLAINT_CATEGORIES, SEVEN_POINTS } from '../../../../shared/contract/enums'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { useMethodQuery } from '../../api/queries'
import { lineDownError, mustDial, useSoftphone } from '../desk/use-softphone'
import { CallStatus } from '../desk/SoftphoneCard'
import { InsecureSeat } from '../../ui/InsecureSeat'
import { centre } from '../../ui/centre-time'

/** 回访 (operators): visited customers to call back, overdue first flagged; the seven-point check for new life policies. */
export function FollowUpsPage() {
  if (!window.isSecureContext) return <InsecureSeat />
  return <SecureFollowUps />
}

function SecureFollowUps() {
  const account = useMethodQuery('sip.myAccount', {}, ['sip.myAccount'])
  if (!account.isFetched) return <Spin style={{ display: 'block', margin: 48 }} />
  return <FollowUpsWork account={account.data ?? null} />
}

function FollowUpsWork({ account }: { account: Output<'sip.myAccount'> }) {
  const { t } = useTranslation()
  const api = useApi()
  const list = useQuery({ queryKey: ['followUps.list'], queryFn: () => api.invoke('followUps.list', {}) })
  useInvalidateOn('dispatch.changed', ['followUps.list'])
  const [current, setCurrent] = useState<FollowUp | null>(null)
  const sp = useSoftphone(account, account ? 'sip' : 'simulated')
  const [callId, setCallId] = useState<number | null>(null)
  const [error, setError] = useState<unknown>(null)
  const inCall = sp.state !== 'idle' && sp.state !== 'ended'

  const dial = async () => {
    if (!current) return
    setError(null)
    const down = lineDownError(sp, t)
    if (down) return setError(down)
    try {
      const r = await api.invoke('followUps.dial', { followUpId: current.id, line: sp.phone.kind })
      if (!r.dial) await api.invoke('calls.end', { callId: r.callId, cause: 'failed', answered: false }).catch(() => {})
      // the number goes to the PBX (a token), or as the dial string when the PBX takes numbers
      const target = mustDial(r.dial, t)
      setCallId(r.callId)
      await sp.dial(
        { callId: r.callId, leadId: current.leadId, direction: 'outbound', notice: r.recordingNotice },
        target,
        r.callerId
      )
    } catch (err) {
      setError(err)
    }
  }

  return (
    <Row gutter={16}>
      <Col xs={24} lg={9}>
        <Card
          size="small"
          title={t('nav.followUps')}
          extra={
            <Tag>
              {sp.phone.kind === 'sip' ? t('desk.sipLine') : t('desk.simulated')}
              {t('common.colon')}
              {t(`desk.lineStates.${sp.line.state}`)}
            </Tag>
          }
        >
          <List
            data-testid="follow-ups"
            loading={list.isLoading}
            dataSource={list.data ?? []}
            locale={{ emptyText: t('followUps.empty') }}
            renderItem={(f) => (
              <List.Item
                onClick={() => !inCall && (setCurrent(f), setCallId(null))}
                style={{
                  cursor: 'pointer',
                  background: current?.id === f.id ? '#e6f4ff' : undefined,
                  padding: '6px 8px'
                }}
              >
                <Space direction="vertical" size={0}>
                  <Space wrap>
                    <Typography.Text strong>{f.customerName}</Typography.Text>
                    <Tag color={f.kind === 'cooling_off' ? 'purple' : 'blue'}>{t(`followUps.kinds.${f.kind}`)}</Tag>
                    {f.overdue && <Tag color="red">{t('followUps.overdue')}</Tag>}
                    {f.attempts > 0 && <Tag>{t('followUps.attempts', { n: f.attempts })}</Tag>}
                    {f.heldBy && <Tag color="orange">{t('followUps.heldBy', { name: f.heldBy })}</Tag>}
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('followUps.due', { at: centre.format(f.dueAt) })} · {f.district} · {f.agentName ?? '—'}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col xs={24} lg={15}>
        {current ? (
          <Card
            size="small"
            title={`${current.customerName} ${current.phone}`}
            extra={
              <Space>
                <Button
                  type="primary"
                  icon={<PhoneOutlined />}
                  disabled={inCall || current.heldBy !== null}
                  onClick={dial}
                  data-testid="follow-up-dial"
                >
                  {t('desk.actions.dial')}
                </Button>
                <Button danger icon={<StopOutlined />} disabled={!inCall} onClick={() => void sp.hangup()}>
                  {t('desk.actions.hangup')}
                </Button>
              </Space>
            }
          >
            {(error != null || sp.error != null) && (
              <Alert type="error" showIcon title={errorText(t, error ?? sp.error)} style={{ marginBottom: 8 }} />
            )}
            <div style={{ marginBottom: 8 }}>
              <CallStatus sp={sp} />
            </div>
            <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
              <Descriptions.Item label={t('followUps.agent')}>{current.agentName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('followUps.district')}>{current.district}</Descriptions.Item>
              {current.policy && (
                <>
                  <Descriptions.Item label={t('visits.policy.product')}>{current.policy.product}</Descriptions.Item>
                  <Descriptions.Item label={t('visits.policy.policyNo')}>{current.policy.policyNo}</Descriptions.Item>
                  <Descriptions.Item label={t('visits.policy.receivedOn')}>
                    {current.policy.receivedOn}
                  </Descriptions.Item>
                  <Descriptions.Item
                    label={t('visits.policy.premium')}
                  >{`${current.policy.premium} × ${current.policy.paymentYears} ${t(`visits.frequencies.${current.policy.paymentFrequency}`)}`}</Descriptions.Item>
                </>
              )}
            </Descriptions>
            <CompleteForm
              followUp={current}
              callId={callId}
              onDone={() => {
                setCurrent(null)
                void list.refetch()
              }}
              onError={setError}
            />
          </Card>
        ) : (
          <Card size="small">
            <Empty description={t('followUps.pick')} />
          </Card>
        )}
      </Col>
    </Row>
  )
}

interface Values {
  result: 'satisfied' | 'complaint' | 'unreachable'
  complaint?: (typeof COMPLAINT_CATEGORIES)[number]
  checks?: Partial<Record<(typeof SEVEN_POINTS)[number], 'yes' | 'no'>>
  notes?: string
  secondChannel?: 'sms' | 'letter'
  secondChannelNote?: string
  cancellation?: boolean
}

function CompleteForm({
  followUp,
  callId,
  onDone,
  onError
}: {
  followUp: FollowUp
  callId: number | null
  onDone: () => void
  onError: (e: unknown) => void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const [form] = Form.useForm<Values>()
  const result = Form.useWatch('result', form)
  const rules = useMethodQuery('settings.get', {}, ['settings.get']).data?.followUp
  const save = (v: Values) =>
    void (async () => {
      try {
        await api.invoke('followUps.complete', {
          followUpId: followUp.id,
          result: v.result,
          ...(callId ? { callId } : {}),
          ...(v.result === 'complaint' && v.complaint ? { complaint: v.complaint } : {}),
          ...(v.checks ? { checks: Object.fromEntries(Object.entries(v.checks).filter(([, x]) => x)) } : {}),
          ...(v.notes ? { notes: v.notes } : {}),
          ...(v.result === 'unreachable' && v.secondChannel ? { secondChannel: v.secondChannel } : {}),
          ...(v.result === 'unreachable' && v.secondChannelNote ? { secondChannelNote: v.secondChannelNote } : {}),
          ...(v.result !== 'unreachable' && v.cancellation ? { cancellation: true } : {})
        })
        void message.success(t('followUps.saved'))
        onDone()
      } catch (err) {
        onError(err)
      }
    })()
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={save}
      initialValues={{ result: 'satisfied' }}
      key={followUp.id}
      data-testid="follow-up-form"
    >
      {followUp.kind === 'cooling_off' && (
        <>
          <Typography.Text strong>{t('followUps.sevenPoints')}</Typography.Text>
          {SEVEN_POINTS.map((p, i) => (
            <Form.Item
              key={p}
              name={['checks', p]}
              label={`${i + 1}. ${t(`followUps.points.${p}`)}`}
              style={{ marginBottom: 6 }}
            >
              <Radio.Group
                aria-label={t(`followUps.points.${p}`)}
                options={[
                  { value: 'yes', label: t('followUps.yes') },
                  { value: 'no', label: t('followUps.no') }
                ]}
              />
            </Form.Item>
          ))}
        </>
      )}
      <Form.Item name="result" label={t('followUps.result')}>
        <Radio.Group
          options={(['satisfied', 'complaint', 'unreachable'] as const).map((r) => ({
            value: r,
            label: t(`followUps.results.${r}`)
          }))}
        />
      </Form.Item>
      {result === 'complaint' && (
        <Form.Item name="complaint" label={t('followUps.complaint')} rules={[{ required: true }]}>
          <Select options={COMPLAINT_CATEGORIES.map((c) => ({ value: c, label: t(`followUps.complaints.${c}`) }))} />
        </Form.Item>
      )}
      {result === 'unreachable' && (
        <>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 8 }}
            title={t('followUps.unreachableRule', {
              attempts: rules?.unreachableAttempts ?? 3,
              days: rules?.unreachableDays ?? 2,
              n: followUp.attempts
            })}
          />
          <Form.Item name="secondChannel" label={t('followUps.secondChannel')} rules={[{ required: true }]}>
            <Radio.Group
              options={(['sms', 'letter'] as const).map((c) => ({
                value: c,
                label: t(`followUps.secondChannels.${c}`)
              }))}
            />
          </Form.Item>
          <Form.Item name="secondChannelNote" label={t('followUps.secondChannelNote')}>
            <Input maxLength={200} />
          </Form.Item>
        </>
      )}
      {result !== 'unreachable' && (
        <Form.Item name="cancellation" valuePropName="checked">
          <Checkbox data-testid="follow-up-cancellation">{t('followUps.cancellation')}</Checkbox>
        </Form.Item>
      )}
      <Form.Item name="notes" label={t('followUps.notes')}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" data-testid="complete-follow-up">
        {t('followUps.complete')}
      </Button>
    </Form>
  )
}
