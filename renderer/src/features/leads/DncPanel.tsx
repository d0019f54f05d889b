import { useState } from 'react'
import { Alert, App, Button, Form, Input, Radio, Space, Table, Upload } from 'antd'
import { UploadOutlined } from '@ant-design/icons'
import { uploadFile } from '../../api/files'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { useMethodMutation, useMethodQuery } from '../../api/queries'
import { formatTime } from '../../ui/format'

/** 免打扰名单: a refusal keeps a number off the lists for 6 months (docs/domain.md); permanent on request. */
export function DncPanel() {
  const { t } = useTranslation()
  const api = useApi()
  const { message, modal } = App.useApp()
  const [q, setQ] = useState('')
  const list = useMethodQuery('dnc.list', { q: q || undefined, limit: 200 }, ['dnc.list', q])
  const add = useMethodMutation('dnc.add', [['dnc.list'], ['leads.search']])
  const [form] = Form.useForm<{ phone: string; reason: string; months: number | null }>()
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {add.error && <Alert type="error" showIcon message={errorText(t, add.error)} />}
      <Form
        form={form}
        layout="inline"
        initialValues={{ months: 6 }}
        onFinish={(v) => add.mutate(v, { onSuccess: () => form.resetFields() })}
      >
        <Form.Item name="phone" rules={[{ required: true }]}>
          <Input placeholder={t('leads.dncPhone')} aria-label={t('leads.dncPhone')} />
        </Form.Item>
        <Form.Item name="reason" rules={[{ required: true }]}>
          <Input placeholder={t('leads.dncReason')} aria-label={t('leads.dncReason')} />
        </Form.Item>
        <Form.Item name="months">
          <Radio.Group>
            <Radio value={6}>{t('leads.dncSixMonths')}</Radio>
            <Radio value={null}>{t('leads.dncPermanent')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={add.isPending}>
          {t('leads.dncAdd')}
        </Button>
      </Form>
      <Space>
        <Input.Search allowClear style={{ width: 260 }} placeholder={t('leads.dncPhone')} onSearch={setQ} />
        <Upload
          accept=".csv,.txt,.xlsx"
          showUploadList={false}
          beforeUpload={(file) => {
            void (async () => {
              try {
                const uploadId = await uploadFile(api, file, () => {})
                const r = await api.invoke('dnc.import', { uploadId, reason: t('leads.dncImportReason'), months: 6 })
                void message.success(t('leads.dncImported', r))
                void list.refetch()
              } catch (e) {
                void message.error(errorText(t, e))
              }
            })()
            return false
          }}
        >
          <Button icon={<UploadOutlined />}>{t('leads.dncImport')}</Button>
        </Upload>
      </Space>
      <Table
        size="small"
        rowKey="phone"
        dataSource={list.data ?? []}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: t('leads.dncPhone'), dataIndex: 'phone' },
          { title: t('leads.dncReason'), dataIndex: 'reason' },
          { title: t('leads.by'), dataIndex: 'addedBy' },
          { title: t('leads.createdAt'), dataIndex: 'addedAt', render: (v: string) => formatTime(v) },
          {
            title: t('leads.dncExpires'),
            dataIndex: 'expiresAt',
            render: (v: string | null) => (v ? formatTime(v) : t('leads.dncForever'))
          },
          {
            title: t('common.actions'),
            render: (_, r) => (
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
                      api.invoke('dnc.remove', { phone: r.phone, reason: reason || '-' }).then(
                        () => void list.refetch(),
                        (e: unknown) => void message.error(errorText(t, e))
                      )
                  })
                }}
              >
                {t('leads.dncRemove')}
              </Button>
            )
          }
        ]}
      />
    </Space>
  )
}
