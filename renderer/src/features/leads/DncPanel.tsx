import { useState } from 'react'
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Form,
  Input,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload
} from 'antd'
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons'
import type { Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import type { DncEntry, Input as In } from '../../../../shared/contract'
import { DNC_CHANNELS, DNC_SCOPES, DNC_SOURCES } from '../../../../shared/contract/enums'
import { download, uploadFile } from '../../api/files'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { useMethodMutation, useMethodQuery } from '../../api/queries'
import { useAuth } from '../auth/AuthProvider'
import { formatTime } from '../../ui/format'

type Terms = {
  source: (typeof DNC_SOURCES)[number]
  reason: string
  scope: (typeof DNC_SCOPES)[number]
  scopeRef?: string
  channel: (typeof DNC_CHANNELS)[number]
  effectiveOn?: Dayjs
  /** 'default' | 'forever' | days */
  lasting: string
}

const LASTING = ['default', '30', '90', '180', '365', '730', 'forever']

/** What the form's terms mean in the contract. */
function termsOf(v: Terms) {
  return {
    source: v.source,
    reason: v.reason,
    scope: v.scope,
    scopeRef: v.scope === 'all' ? '' : (v.scopeRef ?? ''),
    channel: v.channel,
    ...(v.effectiveOn ? { effectiveOn: v.effectiveOn.format('YYYY-MM-DD') } : {}),
    ...(v.lasting === 'default' ? {} : { days: v.lasting === 'forever' ? null : Number(v.lasting) })
  }
}

/** Source, scope, channel, start and length: the same for one number or a whole list. */
function TermsFields() {
  const { t } = useTranslation()
  const campaigns = useMethodQuery('campaigns.list', {}, ['campaigns.list'])
  const settings = useMethodQuery('settings.get', {}, ['settings.get'])
  return (
    <>
      <Form.Item name="source" label={t('dnc.source')}>
        <Select style={{ width: 220 }} options={DNC_SOURCES.map((s) => ({ value: s, label: t(`dnc.sources.${s}`) }))} />
      </Form.Item>
      <Form.Item name="reason" label={t('leads.dncReason')} rules={[{ required: true, whitespace: true }]}>
        <Input style={{ width: 220 }} maxLength={200} />
      </Form.Item>
      <Form.Item name="scope" label={t('dnc.scope')}>
        <Select style={{ width: 160 }} options={DNC_SCOPES.map((s) => ({ value: s, label: t(`dnc.scopes.${s}`) }))} />
      </Form.Item>
      <Form.Item noStyle dependencies={['scope']}>
        {({ getFieldValue }) =>
          getFieldValue('scope') === 'campaign' ? (
            <Form.Item name="scopeRef" label={t('dnc.scopeRef')} rules={[{ required: true }]}>
              <Select
                style={{ width: 200 }}
                options={(campaigns.data ?? []).map((c) => ({ value: String(c.id), label: c.name }))}
              />
            </Form.Item>
          ) : getFieldValue('scope') === 'insurer' ? (
            <Form.Item name="scopeRef" label={t('dnc.insurer')} rules={[{ required: true, whitespace: true }]}>
              <Input style={{ width: 200 }} maxLength={64} />
            </Form.Item>
          ) : null
        }
      </Form.Item>
      <Form.Item name="channel" label={t('dnc.channel')}>
        <Select
          style={{ width: 140 }}
          options={DNC_CHANNELS.map((c) => ({ value: c, label: t(`dnc.channels.${c}`) }))}
        />
      </Form.Item>
      <Form.Item name="effectiveOn" label={t('dnc.effectiveOn')}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="lasting" label={t('dnc.lasting')}>
        <Select
          style={{ width: 260 }}
          options={LASTING.map((l) => ({
            value: l,
            label:
              l === 'default'
                ? t('dnc.byDefault', { days: settings.data?.dnc.refusalDays ?? 180 })
                : l === 'forever'
                  ? t('dnc.forever')
                  : t('dnc.days', { n: Number(l) })
          }))}
        />
      </Form.Item>
    </>
  )
}

const INITIAL: Partial<Terms> = { source: 'customer_request', scope: 'all', channel: 'all', lasting: 'default' }

/** 免打扰名单: each entry with its source, scope, channel and dates; added one by one or a whole list; taken off only with a reason, by an administrator. */
export function DncPanel() {
  const { t } = useTranslation()
  const api = useApi()
  const { state } = useAuth()
  const isAdmin = state.status === 'authed' && state.user.role === 'admin'
  const { message, modal } = App.useApp()
  const [q, setQ] = useState('')
  const [withRemoved, setWithRemoved] = useState(false)
  const campaigns = useMethodQuery('campaigns.list', {}, ['campaigns.list'])
  const list = useMethodQuery('dnc.list', { q: q || undefined, limit: 200, withRemoved }, ['dnc.list', q, withRemoved])
  const add = useMethodMutation('dnc.add', [['dnc.list'], ['leads.search']])
  const [form] = Form.useForm<Terms & { phone: string }>()
  const [importing, setImporting] = useState(false)
  const [importForm] = Form.useForm<Terms>()
  const [progress, setProgress] = useState<number | null>(null)
  const [importError, setImportError] = useState<unknown>(null)

  const scopeText = (e: DncEntry) =>
    t(`dnc.scopeOf.${e.scope}`, {
      ref:
        e.scope === 'campaign'
          ? (campaigns.data?.find((c) => String(c.id) === e.scopeRef)?.name ?? e.scopeRef)
          : e.scopeRef
    })

  const runImport = (file: File) => {
    void (async () => {
      setImportError(null)
      try {
        const v = await importForm.validateFields()
        setProgress(0)
        const uploadId = await uploadFile(api, file, (p) => setProgress(Math.round(p * 90)))
        const r = await api.invoke('dnc.import', { uploadId, ...termsOf(v) } as In<'dnc.import'>)
        void message.success(t('dnc.imported', r))
        setImporting(false)
        void list.refetch()
      } catch (e) {
        if (e && typeof e === 'object' && 'errorFields' in e) return
        setImportError(e)
      } finally {
        setProgress(null)
      }
    })()
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {add.error && <Alert type="error" showIcon title={errorText(t, add.error)} />}
      <Form
        form={form}
        layout="inline"
        initialValues={INITIAL}
        data-testid="dnc-add"
        onFinish={(v) =>
          add.mutate({ phone: v.phone, ...termsOf(v) } as In<'dnc.add'>, { onSuccess: () => form.resetFields() })
        }
      >
        <Form.Item name="phone" label={t('leads.dncPhone')} rules={[{ required: true }]}>
          <Input style={{ width: 160 }} />
        </Form.Item>
        <TermsFields />
        <Button type="primary" htmlType="submit" loading={add.isPending}>
          {t('leads.dncAdd')}
        </Button>
      </Form>
      <Space wrap>
        <Input.Search allowClear style={{ width: 260 }} placeholder={t('leads.dncPhone')} onSearch={setQ} />
        <Checkbox checked={withRemoved} onChange={(e) => setWithRemoved(e.target.checked)}>
          {t('dnc.withRemoved')}
        </Checkbox>
        <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
          {t('leads.dncImport')}
        </Button>
        <Button
          icon={<DownloadOutlined />}
          onClick={() =>
            void api.invoke('dnc.export', {}).then(
              (r) => {
                void message.success(t('dnc.exported', r))
                return download(api, r.token, r.fileName)
              },
              (e: unknown) => void message.error(errorText(t, e))
            )
          }
        >
          {t('dnc.export')}
        </Button>
      </Space>
      <Modal
        open={importing}
        title={t('dnc.importTitle')}
        footer={null}
        onCancel={() => progress === null && setImporting(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('dnc.importHint')}</Typography.Paragraph>
        {importError != null && (
          <Alert type="error" showIcon title={errorText(t, importError)} style={{ marginBottom: 8 }} />
        )}
        <Form form={importForm} layout="vertical" initialValues={{ ...INITIAL, source: 'external_list' }}>
          <TermsFields />
        </Form>
        {progress !== null && <Progress percent={progress} status="active" />}
        <Upload
          accept=".csv,.txt,.xlsx"
          showUploadList={false}
          beforeUpload={(file) => {
            runImport(file)
            return false
          }}
        >
          <Button type="primary" icon={<UploadOutlined />} loading={progress !== null} data-testid="dnc-import-pick">
            {t('dnc.importPick')}
          </Button>
        </Upload>
      </Modal>
      <Table<DncEntry>
        size="small"
        rowKey="id"
        data-testid="dnc-list"
        dataSource={list.data ?? []}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: t('leads.dncPhone'), dataIndex: 'phone' },
          {
            title: t('dnc.source'),
            render: (_, e) => (
              <Space size={4}>
                {t(`dnc.sources.${e.source}`)}
                {e.complaintId !== null && <Tag>{t('dnc.complaintCase', { id: e.complaintId })}</Tag>}
              </Space>
            )
          },
          { title: t('dnc.scope'), render: (_, e) => scopeText(e) },
          { title: t('dnc.channel'), render: (_, e) => t(`dnc.channels.${e.channel}`) },
          { title: t('leads.dncReason'), dataIndex: 'reason' },
          { title: t('leads.by'), dataIndex: 'addedBy' },
          { title: t('dnc.effective'), dataIndex: 'effectiveAt', render: (v: string) => formatTime(v) },
          {
            title: t('leads.dncExpires'),
            dataIndex: 'expiresAt',
            render: (v: string | null) => (v ? formatTime(v) : t('leads.dncForever'))
          },
          {
            title: t('common.actions'),
            render: (_, r) =>
              r.removedAt ? (
                <Typography.Text type="secondary">
                  {t('dnc.removedAt')} {formatTime(r.removedAt)} · {r.removedBy} · {r.removedReason}
                </Typography.Text>
              ) : isAdmin ? (
                <Button
                  size="small"
                  onClick={() => {
                    let reason = ''
                    modal.confirm({
                      title: `${t('leads.dncRemove')} ${r.phone}`,
                      content: (
                        <Input
                          autoFocus
                          placeholder={t('leads.dncRemoveReason')}
                          onChange={(e) => (reason = e.target.value)}
                        />
                      ),
                      onOk: () =>
                        api
                          .invoke('dnc.remove', {
                            phone: r.phone,
                            reason,
                            scope: r.scope,
                            scopeRef: r.scopeRef,
                            channel: r.channel
                          })
                          .then(
                            () => void list.refetch(),
                            (e: unknown) => {
                              void message.error(errorText(t, e))
                              throw e
                            }
                          )
                    })
                  }}
                >
                  {t('leads.dncRemove')}
                </Button>
              ) : (
                <Typography.Text type="secondary">{t('dnc.removeOnlyAdmin')}</Typography.Text>
              )
          }
        ]}
      />
    </Space>
  )
}
