import { useEffect } from 'react'
import { Alert, App, Button, Checkbox, Drawer, Form, Input, InputNumber, Select, Space } from 'antd'
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { Campaign, ScorecardBody } from '../../../../shared/contract'
import { errorText } from '../../api/errors'
import { useMethodMutation, useMethodQuery } from '../../api/queries'

/** 质检评分表: grouped items with points, items that fail the call on their own, the mandatory-step check; published as versions. */
export function ScorecardDrawer({ campaign, onClose }: { campaign: Campaign; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const key = ['scorecards.current', campaign.id]
  const current = useMethodQuery('scorecards.current', { campaignId: campaign.id }, key)
  const publish = useMethodMutation('scorecards.publish', [key])
  const [form] = Form.useForm<ScorecardBody>()
  useEffect(() => {
    if (current.data) form.setFieldsValue(current.data.body)
  }, [current.data, form])
  const save = () =>
    void form.validateFields().then((body) =>
      publish.mutate(
        {
          campaignId: campaign.id,
          body: { ...body, items: body.items.map((i) => ({ ...i, hint: i.hint || undefined })) }
        },
        { onSuccess: (c) => void message.success(t('qa.scorecard.published', { version: c.version })) }
      )
    )
  return (
    <Drawer
      open
      width={900}
      title={`${t('qa.scorecard.title')}${t('common.colon')}${campaign.name}${current.data ? ` · ${t('qa.scorecard.version', { version: current.data.version })}` : ''}`}
      onClose={onClose}
      extra={
        <Button type="primary" onClick={save} loading={publish.isPending}>
          {t('qa.scorecard.publish')}
        </Button>
      }
    >
      {publish.error && (
        <Alert type="error" showIcon title={errorText(t, publish.error)} style={{ marginBottom: 12 }} />
      )}
      <Form form={form} layout="vertical" size="small">
        <Space>
          <Form.Item name="title" label={t('qa.scorecard.name')} rules={[{ required: true }]}>
            <Input maxLength={64} style={{ width: 300 }} />
          </Form.Item>
          <Form.Item name="passMark" label={t('qa.scorecard.passMark')} rules={[{ required: true }]}>
            <InputNumber min={0} max={100} />
          </Form.Item>
        </Space>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap size={4}>
                  <Form.Item name={[f.name, 'group']} rules={[{ required: true }]} style={{ width: 80 }}>
                    <Input placeholder={t('qa.scorecard.group')} maxLength={32} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'title']} rules={[{ required: true }]} style={{ width: 300 }}>
                    <Input placeholder={t('qa.scorecard.item')} maxLength={100} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'id']}
                    rules={[{ required: true, pattern: /^[a-z0-9_-]{1,32}$/ }]}
                    style={{ width: 100 }}
                  >
                    <Input placeholder={t('common.codePlaceholder')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'points']} rules={[{ required: true }]} style={{ width: 80 }}>
                    <InputNumber min={0} max={100} placeholder={t('qa.scorecard.points')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'autoFail']} valuePropName="checked">
                    <Checkbox>{t('qa.scorecard.autoFail')}</Checkbox>
                  </Form.Item>
                  <Form.Item name={[f.name, 'check']} style={{ width: 150 }}>
                    <Select
                      options={(['manual', 'mandatorySteps'] as const).map((c) => ({
                        value: c,
                        label: t(`qa.scorecard.checks.${c}`)
                      }))}
                    />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button
                type="dashed"
                size="small"
                icon={<PlusOutlined />}
                onClick={() => add({ id: '', group: '', title: '', points: 10, autoFail: false, check: 'manual' })}
              >
                {t('qa.scorecard.add')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  )
}
