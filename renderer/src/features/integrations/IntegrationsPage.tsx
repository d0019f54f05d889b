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
import type { ApiKey } from '../../../../shared/contract'
import { API_SCOPES } from '../../../../shared/contract/enums'
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
