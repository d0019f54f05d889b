import { useState } from 'react'
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography
} from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import dayjs, { type Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import type { Complaint } from '../../../../shared/contract'
import { CASE_CATEGORIES } from '../../../../shared/contract/enums'
import { useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { useMethodMutation, useMethodQuery } from '../../api/queries'
import { formatTime } from '../../ui/format'
import { useAuth } from '../auth/AuthProvider'
import { OpenCaseModal } from './OpenCaseModal'

const STATE_COLOR: Record<Complaint['state'], string> = {
  received: 'blue',
  handling: 'gold',
  decided: 'green',
  closed: 'default'
}

/** 投诉 (QA, supervisors, administrators): open cases with the overdue first, each case's steps, and the figures. */
export function ComplaintsPage() {
  const { t } = useTranslation()
  return (
    <Tabs
      items={[
        { key: 'cases', label: t('complaints.list'), children: <Cases /> },
        { key: 'report', label: t('complaints.report'), children: <Report /> }
      ]}
    />
  )
}

function Cases() {
  const { t } = useTranslation()
  const [state, setState] = useState<'open' | 'all'>('open')
  const [opening, setOpening] = useState(false)
  const [shown, setShown] = useState<number | null>(null)
  const list = useMethodQuery('complaints.list', { state, limit: 200 }, ['complaints.list', state])
  useInvalidateOn('complaints.changed', ['complaints.list'])
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Segmented
          value={state}
          onChange={(v) => setState(v as 'open' | 'all')}
          options={[
            { value: 'open', label: t('complaints.onlyOpen') },
            { value: 'all', label: t('complaints.all') }
          ]}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)} data-testid="complaint-new">
          {t('complaints.open')}
        </Button>
      </Space>
      {list.error && <Alert type="error" showIcon title={errorText(t, list.error)} />}
      <Table<Complaint>
        size="small"
        rowKey="id"
        data-testid="complaints-list"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        locale={{ emptyText: t('complaints.empty') }}
        pagination={{ pageSize: 50 }}
        onRow={(c) => ({ onClick: () => setShown(c.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('complaints.id'), dataIndex: 'id', width: 70, render: (v: number) => `#${v}` },
          {
            title: t('complaints.customer'),
            render: (_, c) => (
              <Space direction="vertical" size={0}>
                <span>{c.customer ?? '—'}</span>
                <Typography.Text type="secondary">{c.phone}</Typography.Text>
              </Space>
            )
          },
          {
            title: t('complaints.category'),
            render: (_, c) => (
              <Space size={4} wrap>
                <Tag color={c.category === 'harassment' ? 'red' : undefined}>
                  {t(`complaints.categories.${c.category}`)}
                </Tag>
                {c.onDnc && <Tag color="volcano">{t('complaints.onDnc')}</Tag>}
              </Space>
            )
          },
          { title: t('complaints.channel'), render: (_, c) => t(`complaints.channels.${c.channel}`) },
          {
            title: t('complaints.state'),
            render: (_, c) => <Tag color={STATE_COLOR[c.state]}>{t(`complaints.states.${c.state}`)}</Tag>
          },
          { title: t('complaints.receivedAt'), dataIndex: 'receivedAt', render: (v: string) => formatTime(v) },
          {
            title: t('complaints.dueAt'),
            render: (_, c) => (
              <Space size={4} wrap>
                {formatTime(c.dueAt)}
                {c.overdue && <Tag color="red">{t('complaints.overdue')}</Tag>}
                {c.extendedAt && <Tag>{t('complaints.extended')}</Tag>}
              </Space>
            )
          },
          { title: t('complaints.owner'), dataIndex: 'owner', render: (v: string | null) => v ?? '—' },
          { title: t('complaints.operator'), dataIndex: 'operator', render: (v: string | null) => v ?? '—' }
        ]}
      />
      <OpenCaseModal open={opening} onClose={() => setOpening(false)} />
      <CaseDrawer id={shown} onClose={() => setShown(null)} />
    </Space>
  )
}

type Step = 'handling' | 'decided' | 'closed' | 'reopened' | 'extend'

function CaseDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const one = useMethodQuery('complaints.get', { id: id ?? 0 }, ['complaints.get', id], id !== null)
  useInvalidateOn('complaints.changed', ['complaints.get'])
  const move = useMethodMutation('complaints.move', [['complaints.list'], ['complaints.get']])
  const extend = useMethodMutation('complaints.extend', [['complaints.list'], ['complaints.get']])
  const [step, setStep] = useState<Step | null>(null)
  const [form] = Form.useForm<{ text: string; answerContact?: string }>()
  const { state: auth } = useAuth()
  const manager = auth.status === 'authed' && (auth.user.role === 'supervisor' || auth.user.role === 'admin')
  const c = one.data?.complaint
  const open = c && (c.state === 'received' || c.state === 'handling')
  const done = () => {
    void message.success(t('complaints.saved'))
    setStep(null)
    form.resetFields()
  }
  const submit = () =>
    void form.validateFields().then((v) => {
      if (!c || !step) return
      if (step === 'extend') extend.mutate({ id: c.id, reason: v.text }, { onSuccess: done })
      else if (step === 'handling' || step === 'closed') move.mutate({ id: c.id, to: step }, { onSuccess: done })
      else
        move.mutate(
          step === 'decided'
            ? { id: c.id, to: step, decision: v.text, answerContact: v.answerContact || undefined }
            : { id: c.id, to: step, note: v.text },
          { onSuccess: done }
        )
    })
  const needsText = step === 'decided' || step === 'reopened' || step === 'extend'
  const error = move.error ?? extend.error
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size="large"
      title={c ? `#${c.id}` : ''}
      data-testid="complaint-drawer"
    >
      {one.error && <Alert type="error" showIcon title={errorText(t, one.error)} />}
      {c && (
        <Space direction="vertical" style={{ width: '100%' }}>
          {error && <Alert type="error" showIcon title={errorText(t, error)} />}
          <Space wrap>
            {c.state === 'received' && (
              <Button onClick={() => setStep('handling')} type="primary">
                {t('complaints.handle')}
              </Button>
            )}
            {open && <Button onClick={() => setStep('decided')}>{t('complaints.decide')}</Button>}
            {c.state === 'decided' && (
              <Button onClick={() => setStep('closed')} type="primary">
                {t('complaints.close')}
              </Button>
            )}
            {(c.state === 'decided' || c.state === 'closed') && (
              <Button onClick={() => setStep('reopened')}>{t('complaints.reopen')}</Button>
            )}
            {open && !c.extendedAt && <Button onClick={() => setStep('extend')}>{t('complaints.extend')}</Button>}
          </Space>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('complaints.customer')}>{c.customer ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('complaints.phone')}>{c.phone}</Descriptions.Item>
            <Descriptions.Item label={t('complaints.category')}>
              {t(`complaints.categories.${c.category}`)}
              {c.onDnc && (
                <Tag color="volcano" style={{ marginLeft: 8 }}>
                  {t('complaints.onDnc')}
                </Tag>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.channel')}>
              {t(`complaints.channels.${c.channel}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.state')}>
              <Tag color={STATE_COLOR[c.state]}>{t(`complaints.states.${c.state}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.dueAt')}>
              {formatTime(c.dueAt)} {c.overdue && <Tag color="red">{t('complaints.overdue')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.receivedAt')}>{formatTime(c.receivedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('complaints.owner')}>
              {manager ? <OwnerSelect id={c.id} ownerId={c.ownerId} /> : (c.owner ?? '—')}
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.operator')}>{c.operator ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('complaints.supplier')}>{c.supplier ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('complaints.summary')} span={2}>
              {c.summary}
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.answerContact')} span={2}>
              {c.answerContact ?? '—'}
            </Descriptions.Item>
            {c.decision && (
              <Descriptions.Item label={t('complaints.decision')} span={2}>
                {c.decision}
              </Descriptions.Item>
            )}
            {c.extendReason && (
              <Descriptions.Item label={t('complaints.extended')} span={2}>
                {c.extendReason}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Card size="small" title={t('complaints.calls')}>
            {c.calls.length === 0
              ? '—'
              : c.calls.map((k) => (
                  <div key={k.callId}>
                    {formatTime(k.startedAt)}{' '}
                    {k.recordingId !== null && (
                      <Typography.Link href={`#/recordings?rec=${k.recordingId}`}>
                        {t('complaints.play')}
                      </Typography.Link>
                    )}
                  </div>
                ))}
          </Card>
          <Card size="small" title={t('complaints.history')}>
            <Timeline
              items={(one.data?.events ?? []).map((e) => ({
                children: (
                  <>
                    <Typography.Text strong>{t(`complaints.actions.${e.action}`)}</Typography.Text> {formatTime(e.at)}{' '}
                    {e.by ?? ''}
                    {e.note && <div>{e.note}</div>}
                  </>
                )
              }))}
            />
          </Card>
        </Space>
      )}
      <Modal
        open={step !== null}
        title={
          step
            ? t(
                `complaints.${step === 'handling' ? 'handle' : step === 'decided' ? 'decide' : step === 'closed' ? 'close' : step === 'reopened' ? 'reopen' : 'extend'}`
              )
            : ''
        }
        onCancel={() => setStep(null)}
        onOk={submit}
        confirmLoading={move.isPending || extend.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {needsText && (
            <Form.Item
              name="text"
              label={step === 'decided' ? t('complaints.decision') : t('complaints.reason')}
              rules={[{ required: true, min: 2 }]}
            >
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          )}
          {step === 'decided' && (
            <Form.Item name="answerContact" label={t('complaints.answerContact')} initialValue={c?.answerContact ?? ''}>
              <Input maxLength={200} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Drawer>
  )
}

/** A case's owner, picked among QA, supervisors and administrators (supervisors and administrators assign). */
function OwnerSelect({ id, ownerId }: { id: number; ownerId: number | null }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const users = useMethodQuery('users.list', {}, ['users.list'])
  const assign = useMethodMutation('complaints.assign', [['complaints.list'], ['complaints.get']])
  return (
    <Select
      size="small"
      style={{ minWidth: 140 }}
      value={ownerId ?? undefined}
      placeholder="—"
      loading={assign.isPending}
      data-testid="complaint-owner"
      options={(users.data ?? [])
        .filter((u) => u.role === 'qa' || u.role === 'supervisor' || u.role === 'admin')
        .map((u) => ({ value: u.id, label: `${u.displayName}（${t(`roles.${u.role}`)}）` }))}
      onChange={(ownerId: number) =>
        assign.mutate(
          { id, ownerId },
          {
            onSuccess: () => void message.success(t('complaints.saved')),
            onError: (e) => void message.error(errorText(t, e))
          }
        )
      }
    />
  )
}

function Report() {
  const { t } = useTranslation()
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('month'), dayjs().endOf('day')])
  const input = { from: range[0].startOf('day').toISOString(), to: range[1].add(1, 'day').startOf('day').toISOString() }
  const r = useMethodQuery('complaints.report', input, ['complaints.report', input.from, input.to])
  const d = r.data
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="complaints-report">
      <DatePicker.RangePicker
        value={range}
        onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
        allowClear={false}
      />
      {r.error && <Alert type="error" showIcon title={errorText(t, r.error)} />}
      {d && (
        <>
          <Row gutter={16}>
            {(
              [
                ['total', d.total],
                ['decidedCount', d.decided],
                ['meanDays', d.meanDaysToDecision ?? '—'],
                ['maxDays', d.maxDaysToDecision ?? '—'],
                ['decidedLate', d.decidedLate],
                ['openOverdue', d.openOverdue]
              ] as const
            ).map(([k, v]) => (
              <Col key={k} span={4}>
                <Card size="small">
                  <Statistic title={t(`complaints.${k}`)} value={v} />
                </Card>
              </Col>
            ))}
          </Row>
          <Row gutter={16}>
            <CountCard
              title={t('complaints.byCategory')}
              label={t('complaints.category')}
              rows={CASE_CATEGORIES.map((k) => ({ name: t(`complaints.categories.${k}`), n: d.byCategory[k] ?? 0 }))}
            />
            <CountCard
              title={t('complaints.byOperator')}
              label={t('complaints.operator')}
              rows={d.byOperator.map((r) => ({ name: r.operator, n: r.n }))}
            />
            <CountCard
              title={t('complaints.bySupplier')}
              label={t('complaints.supplier')}
              rows={d.bySupplier.map((r) => ({ name: r.supplier, n: r.n }))}
            />
          </Row>
        </>
      )}
    </Space>
  )
}

/** One of the report's breakdowns: a name and its count per row. */
function CountCard({ title, label, rows }: { title: string; label: string; rows: { name: string; n: number }[] }) {
  const { t } = useTranslation()
  return (
    <Col span={8}>
      <Card size="small" title={title}>
        <Table
          size="small"
          pagination={false}
          rowKey="name"
          dataSource={rows}
          columns={[
            { title: label, dataIndex: 'name' },
            { title: t('complaints.count'), dataIndex: 'n' }
          ]}
        />
      </Card>
    </Col>
  )
}
