import { useState } from 'react'
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography
} from 'antd'
import { useTranslation } from 'react-i18next'
import type { ApiKey, Webhook, WebhookDelivery } from '../../../../shared/contract'
import { API_SCOPES, WEBHOOK_EVENTS } from '../../../../shared/contract/enums'
import { errorText } from '../../api/errors'
import { useMethodMutation, useMethodQuery } from '../../api/queries'
import { formatTime } from '../../ui/format'

/**
 * 集成接口 (administrators): the API keys outside systems use (/api/v1) — made with their scopes, a
 * campaign they are held to and an expiry, shown once, revoked at once — and where the reference is.
 */
export function IntegrationsPage() {
  const { t } = useTranslation()
  const keys = useMethodQuery('apikeys.list', {}, ['apikeys.list'])
  const campaigns = useMethodQuery('campaigns.list', {}, ['campaigns.list'])
  const create = useMethodMutation('apikeys.create', [['apikeys.list']])
  const revoke = useMethodMutation('apikeys.revoke', [['apikeys.list']])
  const [shown, setShown] = useState<string | null>(null)
  const [form] = Form.useForm()
  const campaignName = (id: number | null) =>
    id === null ? t('integrations.allCampaigns') : (campaigns.data?.find((c) => c.id === id)?.name ?? `#${id}`)
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title={t('integrations.title')} data-testid="apikeys">
        <Typography.Paragraph type="secondary">
          {t('integrations.hint')}{' '}
          <Typography.Link href="/api/v1/docs" target="_blank">
            /api/v1/docs
          </Typography.Link>
          {' · '}
          <Typography.Link href="/api/v1/openapi.json" target="_blank">
            openapi.json
          </Typography.Link>
        </Typography.Paragraph>
        {(keys.error || revoke.error) && (
          <Alert type="error" showIcon title={errorText(t, keys.error ?? revoke.error)} />
        )}
        <Table<ApiKey>
          size="small"
          rowKey="id"
          loading={keys.isLoading}
          dataSource={keys.data ?? []}
          locale={{ emptyText: t('integrations.none') }}
          columns={[
            { title: t('integrations.name'), dataIndex: 'name' },
            { title: t('integrations.key'), dataIndex: 'prefix', render: (p: string) => <code>{`ll_${p}_…`}</code> },
            {
              title: t('integrations.scopes'),
              dataIndex: 'scopes',
              render: (s: string[]) =>
                s.map((x) => <Tag key={x}>{t(`integrations.scopeNames.${x.replace(':', '_')}`)}</Tag>)
            },
            { title: t('integrations.campaign'), dataIndex: 'campaignId', render: campaignName },
            {
              title: t('integrations.lastUsed'),
              dataIndex: 'lastUsedAt',
              render: (v: string | null) => (v ? formatTime(v) : '—')
            },
            {
              title: t('integrations.state'),
              render: (_, k) =>
                k.revokedAt ? (
                  <Tag color="red">{t('integrations.revoked')}</Tag>
                ) : k.expiresAt ? (
                  <Tag>{t('integrations.until', { at: formatTime(k.expiresAt) })}</Tag>
                ) : (
                  <Tag color="green">{t('integrations.active')}</Tag>
                )
            },
            {
              title: '',
              render: (_, k) =>
                k.revokedAt ? null : (
                  <Popconfirm title={t('integrations.revokeConfirm')} onConfirm={() => revoke.mutate({ id: k.id })}>
                    <Button size="small" danger>
                      {t('integrations.revoke')}
                    </Button>
                  </Popconfirm>
                )
            }
          ]}
        />
      </Card>
      <Card title={t('integrations.create')} data-testid="apikey-create">
        <Form
          form={form}
          layout="vertical"
          style={{ maxWidth: 720 }}
          initialValues={{ scopes: ['leads:write', 'events:read'], campaignId: null, days: null }}
          onFinish={(v: { name: string; scopes: ApiKey['scopes']; campaignId: number | null; days: number | null }) =>
            create.mutate(v, {
              onSuccess: (r) => {
                setShown(r.key)
                form.resetFields()
              }
            })
          }
        >
          <Form.Item name="name" label={t('integrations.name')} rules={[{ required: true, max: 64 }]}>
            <Input placeholder={t('integrations.namePlaceholder')} />
          </Form.Item>
          <Form.Item name="scopes" label={t('integrations.scopes')} rules={[{ required: true }]}>
            <Checkbox.Group
              options={API_SCOPES.map((s) => ({
                value: s,
                label: t(`integrations.scopeNames.${s.replace(':', '_')}`)
              }))}
            />
          </Form.Item>
          <Space>
            <Form.Item name="campaignId" label={t('integrations.campaign')}>
              <Select
                style={{ width: 220 }}
                options={[
                  { value: null, label: t('integrations.allCampaigns') },
                  ...(campaigns.data ?? []).filter((c) => !c.training).map((c) => ({ value: c.id, label: c.name }))
                ]}
              />
            </Form.Item>
            <Form.Item name="days" label={t('integrations.days')}>
              <InputNumber min={1} max={3650} placeholder={t('integrations.forever')} style={{ width: 160 }} />
            </Form.Item>
          </Space>
          {create.error && (
            <Alert type="error" showIcon title={errorText(t, create.error)} style={{ marginBottom: 12 }} />
          )}
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('integrations.createButton')}
          </Button>
        </Form>
      </Card>
      <Webhooks />
      <Modal
        open={shown !== null}
        title={t('integrations.shownOnce')}
        onOk={() => setShown(null)}
        onCancel={() => setShown(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <Typography.Paragraph>{t('integrations.shownOnceHint')}</Typography.Paragraph>
        <Typography.Text code copyable data-testid="apikey-shown">
          {shown}
        </Typography.Text>
      </Modal>
    </Space>
  )
}

/** Where events go (webhooks): each endpoint with its deliveries; a dead one sent again by hand. */
function Webhooks() {
  const { t } = useTranslation()
  const hooks = useMethodQuery('webhooks.list', {}, ['webhooks.list'])
  const register = useMethodMutation('webhooks.register', [['webhooks.list']])
  const disable = useMethodMutation('webhooks.disable', [['webhooks.list']])
  const [open, setOpen] = useState<number | null>(null)
  const [secret, setSecret] = useState<string | null>(null)
  const [form] = Form.useForm()
  return (
    <Card title={t('integrations.webhooks')} data-testid="webhooks">
      <Typography.Paragraph type="secondary">{t('integrations.webhooksHint')}</Typography.Paragraph>
      {(hooks.error || disable.error) && (
        <Alert type="error" showIcon title={errorText(t, hooks.error ?? disable.error)} />
      )}
      <Table<Webhook>
        size="small"
        rowKey="id"
        dataSource={hooks.data ?? []}
        locale={{ emptyText: t('integrations.noWebhooks') }}
        expandable={{
          expandedRowKeys: open === null ? [] : [open],
          onExpand: (yes, w) => setOpen(yes ? w.id : null),
          expandedRowRender: (w) => <Deliveries id={w.id} />
        }}
        columns={[
          { title: t('integrations.url'), dataIndex: 'url', render: (u: string) => <code>{u}</code> },
          {
            title: t('integrations.events'),
            dataIndex: 'events',
            render: (e: string[]) =>
              e.map((x) => <Tag key={x}>{t(`integrations.eventNames.${x.replace('.', '_')}`)}</Tag>)
          },
          {
            title: t('integrations.deliveries'),
            render: (_, w) => (
              <Space size={4}>
                <Tag color="green">{t('integrations.delivered', { n: w.delivered })}</Tag>
                {w.pending > 0 && <Tag color="processing">{t('integrations.pending', { n: w.pending })}</Tag>}
                {w.dead > 0 && <Tag color="red">{t('integrations.dead', { n: w.dead })}</Tag>}
              </Space>
            )
          },
          {
            title: '',
            render: (_, w) =>
              w.disabledAt ? (
                <Tag>{t('integrations.stopped')}</Tag>
              ) : (
                <Popconfirm title={t('integrations.stopConfirm')} onConfirm={() => disable.mutate({ id: w.id })}>
                  <Button size="small" danger>
                    {t('integrations.stop')}
                  </Button>
                </Popconfirm>
              )
          }
        ]}
      />
      <Form
        form={form}
        layout="inline"
        style={{ marginTop: 16 }}
        initialValues={{ events: ['outcome.saved'] }}
        onFinish={(v: { url: string; events: Webhook['events'] }) =>
          register.mutate(v, {
            onSuccess: (r) => {
              setSecret(r.secret)
              form.resetFields()
            }
          })
        }
      >
        <Form.Item name="url" rules={[{ required: true }]}>
          <Input placeholder="https://crm.example.com/leadline" style={{ width: 320 }} />
        </Form.Item>
        <Form.Item name="events" rules={[{ required: true }]}>
          <Checkbox.Group
            options={WEBHOOK_EVENTS.map((e) => ({
              value: e,
              label: t(`integrations.eventNames.${e.replace('.', '_')}`)
            }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={register.isPending}>
          {t('integrations.register')}
        </Button>
      </Form>
      {register.error && <Alert type="error" showIcon title={errorText(t, register.error)} style={{ marginTop: 12 }} />}
      <Modal
        open={secret !== null}
        title={t('integrations.secretOnce')}
        onOk={() => setSecret(null)}
        onCancel={() => setSecret(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <Typography.Paragraph>{t('integrations.secretHint')}</Typography.Paragraph>
        <Typography.Text code copyable data-testid="webhook-secret">
          {secret}
        </Typography.Text>
      </Modal>
    </Card>
  )
}

function Deliveries({ id }: { id: number }) {
  const { t } = useTranslation()
  const list = useMethodQuery('webhooks.deliveries', { id, limit: 50 }, ['webhooks.deliveries', id])
  const resend = useMethodMutation('webhooks.resend', [['webhooks.deliveries', id], ['webhooks.list']])
  return (
    <Table<WebhookDelivery>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={list.data ?? []}
      data-testid="webhook-deliveries"
      columns={[
        { title: t('integrations.at'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
        { title: t('integrations.event'), dataIndex: 'eventType' },
        {
          title: t('integrations.state'),
          dataIndex: 'state',
          render: (v: string) => (
            <Tag color={v === 'delivered' ? 'green' : v === 'dead' ? 'red' : 'processing'}>
              {t(`integrations.deliveryStates.${v}`)}
            </Tag>
          )
        },
        { title: t('integrations.attempts'), dataIndex: 'attempts' },
        {
          title: t('integrations.lastError'),
          render: (_, d) => d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : '—')
        },
        {
          title: '',
          render: (_, d) =>
            d.state === 'dead' ? (
              <Button size="small" onClick={() => resend.mutate({ deliveryId: d.id })}>
                {t('integrations.resend')}
              </Button>
            ) : null
        }
      ]}
    />
  )
}
