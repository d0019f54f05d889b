import { useState } from 'react'
import { Alert, App, Button, Card, Form, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { SmsMessage, SmsTemplate } from '../../../../shared/contract'
import { errorText } from '../../api/errors'
import { useMethodMutation, useMethodQuery } from '../../api/queries'
import { useAuth } from '../auth/AuthProvider'
import { formatTime } from '../../ui/format'

const STATE_COLOR: Record<SmsMessage['state'], string> = {
  queued: 'processing',
  sent: 'blue',
  delivered: 'green',
  failed: 'red',
  blocked: 'default'
}
const STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const

/**
 * 短信: the messages sent to customers (supervisors and administrators), and for administrators the
 * templates (signature, text, the provider's approval) and the gateway.
 */
export function SmsPage() {
  const { t } = useTranslation()
  const { state } = useAuth()
  const isAdmin = state.status === 'authed' && state.user.role === 'admin'
  const messages = useMethodQuery('sms.messages', { limit: 100 }, ['sms.messages'])
  const retry = useMethodMutation('sms.retry', [['sms.messages']])
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      {isAdmin && <Templates />}
      {isAdmin && <Gateway />}
      <Card
        title={t('sms.messages')}
        data-testid="sms-messages"
        extra={
          <Space>
            <Tag color="processing">{t('sms.queued', { n: messages.data?.queued ?? 0 })}</Tag>
            <Tag color={messages.data?.failed ? 'red' : 'default'}>
              {t('sms.failed', { n: messages.data?.failed ?? 0 })}
            </Tag>
          </Space>
        }
      >
        {(messages.error || retry.error) && (
          <Alert type="error" showIcon title={errorText(t, messages.error ?? retry.error)} />
        )}
        <Table<SmsMessage>
          size="small"
          rowKey="id"
          loading={messages.isLoading}
          dataSource={messages.data?.rows ?? []}
          columns={[
            { title: t('sms.at'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatTime(v) },
            { title: t('sms.phone'), dataIndex: 'phone', width: 130 },
            { title: t('sms.body'), dataIndex: 'body' },
            {
              title: t('sms.state'),
              dataIndex: 'state',
              width: 170,
              render: (v: SmsMessage['state'], m) => (
                <Space direction="vertical" size={0}>
                  <Tag color={STATE_COLOR[v]}>{t(`sms.states.${v}`)}</Tag>
                  {m.error && <Typography.Text type="secondary">{m.error}</Typography.Text>}
                  {v === 'queued' && m.attempts > 0 && (
                    <Typography.Text type="secondary">{t('sms.retrying', { n: m.attempts })}</Typography.Text>
                  )}
                </Space>
              )
            },
            ...(isAdmin
              ? [
                  {
                    title: '',
                    width: 90,
                    render: (_: unknown, m: SmsMessage) =>
                      m.state === 'failed' ? (
                        <Button size="small" onClick={() => retry.mutate({ id: m.id })}>
                          {t('sms.retry')}
                        </Button>
                      ) : null
                  }
                ]
              : [])
          ]}
        />
      </Card>
    </Space>
  )
}

function Templates() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const templates = useMethodQuery('sms.templates', {}, ['sms.templates'])
  const save = useMethodMutation('sms.saveTemplate', [['sms.templates']])
  const [editing, setEditing] = useState<SmsTemplate | null>(null)
  return (
    <Card title={t('sms.templates')} data-testid="sms-templates">
      <Typography.Paragraph type="secondary">{t('sms.templatesHint')}</Typography.Paragraph>
      <Table<SmsTemplate>
        size="small"
        rowKey="kind"
        pagination={false}
        dataSource={templates.data ?? []}
        columns={[
          { title: t('sms.kind'), dataIndex: 'kind', width: 110, render: (v: string) => t(`sms.kinds.${v}`) },
          { title: t('sms.sample'), dataIndex: 'sample' },
          {
            title: t('sms.length'),
            width: 110,
            render: (_: unknown, r) => t('sms.lengthParts', { n: r.length, parts: r.parts })
          },
          {
            title: t('sms.status'),
            dataIndex: 'status',
            width: 100,
            render: (v: string) => <Tag color={v === 'approved' ? 'green' : 'orange'}>{t(`sms.statuses.${v}`)}</Tag>
          },
          {
            title: '',
            width: 80,
            render: (_: unknown, r) => (
              <Button size="small" onClick={() => setEditing(r)}>
                {t('common.edit')}
              </Button>
            )
          }
        ]}
      />
      {editing && (
        <Form
          layout="vertical"
          style={{ marginTop: 16, maxWidth: 720 }}
          initialValues={editing}
          key={editing.kind}
          onFinish={(v: { signature: string; body: string; status: SmsTemplate['status']; providerCode?: string }) =>
            save.mutate(
              { kind: editing.kind, ...v, providerCode: v.providerCode || null },
              {
                onSuccess: () => {
                  void message.success(t('sms.saved'))
                  setEditing(null)
                }
              }
            )
          }
        >
          <Form.Item name="signature" label={t('sms.signature')} rules={[{ required: true }]}>
            <Input style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="body" label={t('sms.bodyTemplate')} extra={t('sms.variables')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Space>
            <Form.Item name="status" label={t('sms.status')}>
              <Select
                style={{ width: 140 }}
                options={STATUSES.map((s) => ({ value: s, label: t(`sms.statuses.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="providerCode" label={t('sms.providerCode')}>
              <Input style={{ width: 200 }} />
            </Form.Item>
          </Space>
          {save.error && <Alert type="error" showIcon title={errorText(t, save.error)} style={{ marginBottom: 12 }} />}
          <Space>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
            <Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      )}
    </Card>
  )
}

function Gateway() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const gw = useMethodQuery('sms.gateway', {}, ['sms.gateway'])
  const set = useMethodMutation('sms.setGateway', [['sms.gateway']])
  if (!gw.data) return null
  return (
    <Card title={t('sms.gateway')} data-testid="sms-gateway">
      <Typography.Paragraph type="secondary">{t('sms.gatewayHint')}</Typography.Paragraph>
      <Form
        layout="vertical"
        style={{ maxWidth: 720 }}
        initialValues={gw.data}
        onFinish={(v: {
          enabled: boolean
          sendUrl: string
          username: string
          password?: string
          sender: string
          callbackBase: string
        }) =>
          set.mutate(
            { ...v, password: v.password || undefined },
            { onSuccess: () => void message.success(t('sms.saved')) }
          )
        }
      >
        <Form.Item name="enabled" label={t('sms.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="sendUrl" label={t('sms.sendUrl')} rules={[{ required: true }]}>
          <Input placeholder="http://127.0.0.1:13013/cgi-bin/sendsms" />
        </Form.Item>
        <Space>
          <Form.Item name="username" label={t('sms.username')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="password" label={t('sms.password')}>
            <Input.Password placeholder={gw.data.passwordSet ? t('sms.passwordKept') : ''} />
          </Form.Item>
          <Form.Item name="sender" label={t('sms.sender')} rules={[{ required: true }]}>
            <Input placeholder="10690000" />
          </Form.Item>
        </Space>
        <Form.Item name="callbackBase" label={t('sms.callbackBase')} rules={[{ required: true }]}>
          <Input placeholder="http://hub.lan:7300" />
        </Form.Item>
        {gw.data.moPath && (
          <Typography.Paragraph>
            {t('sms.moUrl')}
            {t('common.colon')}
            <Typography.Text
              code
              copyable
            >{`${gw.data.callbackBase}${gw.data.moPath}?from=%p&to=%P&text=%a`}</Typography.Text>
          </Typography.Paragraph>
        )}
        {set.error && <Alert type="error" showIcon title={errorText(t, set.error)} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={set.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  )
}
