import { useEffect } from 'react'
import { Alert, App, Button, Card, Checkbox, Drawer, Form, Input, Space, Table, Typography } from 'antd'
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import { type Campaign, type ScriptBody } from '../../../../shared/contract'
import { errorText } from '../../api/errors'
import { useMethodMutation, useMethodQuery } from '../../api/queries'
import { centre } from '../../ui/centre-time'

export function ScriptDrawer({ campaign, onClose }: { campaign: Campaign; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const current = useMethodQuery('scripts.current', { campaignId: campaign.id }, ['scripts.current', campaign.id])
  const versions = useMethodQuery('scripts.versions', { campaignId: campaign.id }, ['scripts.versions', campaign.id])
  const publish = useMethodMutation('scripts.publish', [
    ['scripts.current', campaign.id],
    ['scripts.versions', campaign.id]
  ])
  const [form] = Form.useForm<{ title: string; body: ScriptBody }>()
  useEffect(() => {
    if (current.data) form.setFieldsValue({ title: current.data.title, body: current.data.body })
  }, [current.data, form])
  const save = () =>
    void form.validateFields().then((v) =>
      publish.mutate(
        {
          campaignId: campaign.id,
          title: v.title,
          body: {
            steps: (v.body.steps ?? []).map((s) => ({ ...s, mandatory: !!s.mandatory, branches: s.branches ?? [] })),
            objections: v.body.objections ?? []
          }
        },
        { onSuccess: (s) => void message.success(t('campaigns.published', { version: s.version })) }
      )
    )
  return (
    <Drawer
      open
      width={960}
      title={`${t('campaigns.script')}${t('common.colon')}${campaign.name}${current.data ? ` · v${current.data.version}` : ''}`}
      onClose={onClose}
      extra={
        <Button type="primary" onClick={save} loading={publish.isPending}>
          {t('campaigns.publish')}
        </Button>
      }
    >
      {publish.error && (
        <Alert type="error" showIcon message={errorText(t, publish.error)} style={{ marginBottom: 12 }} />
      )}
      <Typography.Paragraph type="secondary">
        {t('campaigns.placeholders', {
          list: ['姓名', '称呼', '坐席姓名', '工号', '公司', '区县'].map((x) => `{{${x}}}`).join(' '),
          interpolation: { escapeValue: false }
        })}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" size="small">
        <Form.Item name="title" label={t('campaigns.scriptTitle')} rules={[{ required: true }]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.List name={['body', 'steps']}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Card
                  key={f.key}
                  size="small"
                  style={{ marginBottom: 8 }}
                  extra={<MinusCircleOutlined onClick={() => remove(f.name)} />}
                >
                  <Space align="baseline" wrap>
                    <Form.Item
                      name={[f.name, 'id']}
                      label="ID"
                      rules={[{ required: true, pattern: /^[a-z0-9_-]{1,32}$/ }]}
                    >
                      <Input style={{ width: 110 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'title']} label={t('campaigns.stepTitle')} rules={[{ required: true }]}>
                      <Input style={{ width: 160 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'mandatory']} valuePropName="checked" label=" ">
                      <Checkbox>{t('campaigns.mandatory')}</Checkbox>
                    </Form.Item>
                  </Space>
                  <Form.Item name={[f.name, 'text']} label={t('campaigns.stepText')}>
                    <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={4000} />
                  </Form.Item>
                  <Form.List name={[f.name, 'branches']}>
                    {(bs, b) => (
                      <Space wrap>
                        {bs.map((bf) => (
                          <Space.Compact key={bf.key}>
                            <Form.Item name={[bf.name, 'label']} noStyle rules={[{ required: true }]}>
                              <Input style={{ width: 110 }} placeholder={t('campaigns.branchLabel')} />
                            </Form.Item>
                            <Form.Item name={[bf.name, 'to']} noStyle rules={[{ required: true }]}>
                              <Input style={{ width: 100 }} placeholder={t('campaigns.branchTo')} />
                            </Form.Item>
                            <Button icon={<MinusCircleOutlined />} onClick={() => b.remove(bf.name)} />
                          </Space.Compact>
                        ))}
                        <Button size="small" type="dashed" onClick={() => b.add({ label: '', to: '' })}>
                          {t('campaigns.addBranch')}
                        </Button>
                      </Space>
                    )}
                  </Form.List>
                </Card>
              ))}
              <Button
                type="dashed"
                size="small"
                icon={<PlusOutlined />}
                onClick={() => add({ id: '', title: '', text: '', mandatory: false, branches: [] })}
              >
                {t('campaigns.addStep')}
              </Button>
            </>
          )}
        </Form.List>
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('desk.script.objections')}
        </Typography.Title>
        <Form.List name={['body', 'objections']}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item name={[f.name, 'objection']} rules={[{ required: true }]}>
                    <Input style={{ width: 180 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'answer']} style={{ flex: 1, minWidth: 400 }}>
                    <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button
                type="dashed"
                size="small"
                icon={<PlusOutlined />}
                onClick={() => add({ objection: '', answer: '' })}
              >
                {t('campaigns.addObjection')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('campaigns.versions')}
      </Typography.Title>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={versions.data ?? []}
        columns={[
          { title: 'v', dataIndex: 'version' },
          { title: t('campaigns.scriptTitle'), dataIndex: 'title' },
          { title: t('campaigns.publishedBy'), dataIndex: 'createdBy' },
          { title: t('campaigns.publishedAt'), dataIndex: 'createdAt', render: (x: string) => centre.format(x) }
        ]}
      />
    </Drawer>
  )
}
