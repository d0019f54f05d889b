import { useEffect, useState } from 'react'
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Drawer,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography
} from 'antd'
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { Campaign, CampaignSettings } from '../../../../shared/contract'
import { RULE_METRICS } from '../../../../shared/contract/enums'
import { errorText } from '../../api/errors'
import { useMethodMutation, useMethodQuery } from '../../api/queries'
import { ScorecardDrawer } from '../qa/ScorecardDrawer'
import { daysText } from '../../ui/weekdays'
import { ScriptDrawer } from './ScriptDrawer'

const DAYS = [1, 2, 3, 4, 5, 6, 7]
const LIST = ['campaigns.list']

/** 活动设置 (supervisors): calling windows, holidays, outcomes, dial mode, recording notice, and the versioned script. */
export function CampaignsPage() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const list = useMethodQuery('campaigns.list', {}, LIST)
  const create = useMethodMutation('campaigns.create', [LIST])
  const [editing, setEditing] = useState<Campaign | null>(null)
  const [scriptOf, setScriptOf] = useState<Campaign | null>(null)
  const [cardOf, setCardOf] = useState<Campaign | null>(null)
  const [name, setName] = useState('')

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={t('campaigns.title')}
        extra={
          <Space.Compact>
            <Input
              placeholder={t('campaigns.newName')}
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={64}
              aria-label={t('campaigns.newName')}
            />
            <Button
              type="primary"
              disabled={!name.trim()}
              loading={create.isPending}
              onClick={() =>
                create.mutate(
                  { name: name.trim() },
                  { onSuccess: () => (setName(''), void message.success(t('common.saved'))) }
                )
              }
            >
              {t('common.create')}
            </Button>
          </Space.Compact>
        }
      >
        {create.error && (
          <Alert type="error" showIcon message={errorText(t, create.error)} style={{ marginBottom: 12 }} />
        )}
        <Table<Campaign>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data ?? []}
          pagination={false}
          columns={[
            {
              title: t('campaigns.name'),
              dataIndex: 'name',
              render: (n: string, c) => (
                <>
                  {n}
                  {c.training && (
                    <Tag color="purple" style={{ marginLeft: 8 }} title={t('campaigns.trainingHint')}>
                      {t('campaigns.training')}
                    </Tag>
                  )}
                </>
              )
            },
            {
              title: t('campaigns.active'),
              dataIndex: 'active',
              render: (a: boolean) => (a ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>)
            },
            { title: t('campaigns.dialMode'), render: (_, c) => t(`campaigns.dialModes.${c.settings.dialMode}`) },
            {
              title: t('campaigns.windows'),
              render: (_, c) =>
                c.settings.windows.map((w, i) => <Tag key={i}>{`${daysText(w.days, t)} ${w.start}–${w.end}`}</Tag>)
            },
            {
              title: t('campaigns.recordingNotice'),
              render: (_, c) => (c.settings.recordingNotice ? t('common.yes') : t('common.no'))
            },
            {
              title: t('common.actions'),
              render: (_, c) => (
                <Space>
                  <Button size="small" onClick={() => setEditing(c)}>
                    {t('common.edit')}
                  </Button>
                  <Button size="small" onClick={() => setScriptOf(c)}>
                    {t('campaigns.script')}
                  </Button>
                  <Button size="small" onClick={() => setCardOf(c)}>
                    {t('qa.scorecard.title')}
                  </Button>
                </Space>
              )
            }
          ]}
        />
      </Card>
      {editing && <CampaignDrawer campaign={editing} onClose={() => setEditing(null)} />}
      {scriptOf && <ScriptDrawer campaign={scriptOf} onClose={() => setScriptOf(null)} />}
      {cardOf && <ScorecardDrawer campaign={cardOf} onClose={() => setCardOf(null)} />}
    </Space>
  )
}

function CampaignDrawer({ campaign, onClose }: { campaign: Campaign; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const update = useMethodMutation('campaigns.update', [LIST])
  const [form] = Form.useForm<{ name: string; active: boolean; settings: CampaignSettings }>()
  useEffect(
    () => form.setFieldsValue({ name: campaign.name, active: campaign.active, settings: campaign.settings }),
    [campaign, form]
  )
  const save = () =>
    void form.validateFields().then((v) =>
      update.mutate(
        {
          id: campaign.id,
          name: v.name,
          active: v.active,
          settings: {
            ...v.settings,
            holidays: v.settings.holidays ?? [],
            extraWorkdays: v.settings.extraWorkdays ?? []
          }
        },
        { onSuccess: () => (void message.success(t('common.saved')), onClose()) }
      )
    )
  return (
    <Drawer
      open
      width={960}
      title={`${t('campaigns.edit')}${t('common.colon')}${campaign.name}`}
      onClose={onClose}
      extra={
        <Button type="primary" onClick={save} loading={update.isPending}>
          {t('common.save')}
        </Button>
      }
    >
      {update.error && (
        <Alert type="error" showIcon message={errorText(t, update.error)} style={{ marginBottom: 12 }} />
      )}
      <Form form={form} layout="vertical" size="small">
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="name" label={t('campaigns.name')} rules={[{ required: true }]}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="active" label={t('campaigns.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name={['settings', 'dialMode']} label={t('campaigns.dialMode')}>
              <Select
                options={(['preview', 'progressive'] as const).map((m) => ({
                  value: m,
                  label: t(`campaigns.dialModes.${m}`)
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name={['settings', 'progressiveDelaySec']} label={t('campaigns.progressiveDelaySec')}>
              <InputNumber min={3} max={120} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name={['settings', 'wrapUpSec']} label={t('campaigns.wrapUpSec')}>
              <InputNumber min={5} max={900} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name={['settings', 'maxAttempts']} label={t('campaigns.maxAttempts')}>
              <InputNumber min={1} max={50} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name={['settings', 'dailyTarget']} label={t('campaigns.dailyTarget')}>
              <InputNumber min={0} max={500} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item
              name={['settings', 'insurer']}
              label={t('campaigns.insurer')}
              tooltip={t('campaigns.insurerHint')}
            >
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col span={3}>
            <Form.Item name={['settings', 'allowPool']} label={t('campaigns.allowPool')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={3}>
            <Form.Item
              name={['settings', 'recordingNotice']}
              label={t('campaigns.recordingNotice')}
              valuePropName="checked"
            >
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('campaigns.windows')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('campaigns.windowsHint')}</Typography.Paragraph>
        <Form.List name={['settings', 'windows']}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'days']} rules={[{ required: true }]}>
                    <Checkbox.Group options={DAYS.map((d) => ({ value: d, label: t(`campaigns.days.${d}`) }))} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'start']}
                    rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'HH:MM' }]}
                  >
                    <Input style={{ width: 80 }} placeholder="10:00" />
                  </Form.Item>
                  –
                  <Form.Item
                    name={[f.name, 'end']}
                    rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'HH:MM' }]}
                  >
                    <Input style={{ width: 80 }} placeholder="12:00" />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button
                type="dashed"
                size="small"
                icon={<PlusOutlined />}
                onClick={() => add({ days: [1, 2, 3, 4, 5], start: '10:00', end: '12:00' })}
              >
                {t('campaigns.addWindow')}
              </Button>
            </>
          )}
        </Form.List>
        <Row gutter={12} style={{ marginTop: 12 }}>
          <Col span={24}>
            <Form.Item
              name={['settings', 'statutoryCalendar']}
              label={t('campaigns.statutoryCalendar')}
              extra={t('campaigns.statutoryCalendarHint')}
              valuePropName="checked"
            >
              <Switch />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name={['settings', 'holidays']} label={t('campaigns.holidays')} extra="YYYY-MM-DD">
              <Select mode="tags" tokenSeparators={[',', ' ', '，']} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name={['settings', 'extraWorkdays']} label={t('campaigns.extraWorkdays')} extra="YYYY-MM-DD">
              <Select mode="tags" tokenSeparators={[',', ' ', '，']} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('campaigns.numberArea')}</Typography.Title>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name={['settings', 'outsideArea']} label={t('campaigns.outsideArea')}>
              <Select
                data-testid="outside-area"
                options={(['accept', 'flag', 'refuse'] as const).map((v) => ({
                  value: v,
                  label: t(`campaigns.outsideAreaOptions.${v}`)
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name={['settings', 'outsideScope']} label={t('campaigns.outsideScope')}>
              <Select
                options={(['city', 'province'] as const).map((v) => ({
                  value: v,
                  label: t(`campaigns.outsideScopeOptions.${v}`)
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('campaigns.dispositions')}</Typography.Title>
        <Form.List name={['settings', 'dispositions']}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap size={4}>
                  <Form.Item name={[f.name, 'hotkey']} style={{ width: 48 }}>
                    <Input placeholder={t('campaigns.d.hotkey')} maxLength={1} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'label']} rules={[{ required: true }]} style={{ width: 130 }}>
                    <Input placeholder={t('campaigns.d.label')} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'code']}
                    rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{0,31}$/ }]}
                    style={{ width: 110 }}
                  >
                    <Input placeholder={t('common.codePlaceholder')} />
                  </Form.Item>
                  {(['connected', 'final', 'success', 'callback'] as const).map((k) => (
                    <Form.Item key={k} name={[f.name, k]} valuePropName="checked">
                      <Checkbox>{t(`campaigns.d.${k}`)}</Checkbox>
                    </Form.Item>
                  ))}
                  <Form.Item name={[f.name, 'retryMinutes']} style={{ width: 110 }}>
                    <InputNumber placeholder={t('campaigns.d.retryMinutes')} min={1} style={{ width: '100%' }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'dncDays']} style={{ width: 110 }}>
                    <InputNumber placeholder={t('campaigns.d.dncDays')} min={0} style={{ width: '100%' }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button
                type="dashed"
                size="small"
                icon={<PlusOutlined />}
                onClick={() =>
                  add({
                    code: '',
                    label: '',
                    connected: false,
                    final: false,
                    success: false,
                    callback: false,
                    retryMinutes: null,
                    dncDays: null,
                    hotkey: null
                  })
                }
              >
                {t('campaigns.addDisposition')}
              </Button>
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                {t('campaigns.dispositionsHint')}
              </Typography.Paragraph>
            </>
          )}
        </Form.List>
        <Typography.Title level={5}>{t('qa.settings.title')}</Typography.Title>
        <Row gutter={12}>
          <Col span={9}>
            <Form.Item name={['settings', 'qa', 'gate']} valuePropName="checked">
              <Checkbox>{t('qa.settings.gate')}</Checkbox>
            </Form.Item>
          </Col>
          <Col span={7}>
            <Form.Item name={['settings', 'qa', 'reviewSuccesses']} valuePropName="checked">
              <Checkbox>{t('qa.settings.reviewSuccesses')}</Checkbox>
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['settings', 'qa', 'samplePercent']} label={t('qa.settings.samplePercent')}>
              <InputNumber min={0} max={100} step={1} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text>{t('qa.settings.rules')}</Typography.Text>
        <Form.List name={['settings', 'qa', 'rules']}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'metric']} rules={[{ required: true }]} style={{ width: 160 }}>
                    <Select
                      options={RULE_METRICS.map((m) => ({ value: m, label: t(`qa.metrics.${m}`) }))}
                      aria-label={t('qa.settings.metric')}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'op']} rules={[{ required: true }]} style={{ width: 90 }}>
                    <Select
                      options={(['gt', 'lt'] as const).map((o) => ({ value: o, label: t(`qa.settings.op.${o}`) }))}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'value']} rules={[{ required: true }]}>
                    <InputNumber min={0} step={0.01} placeholder={t('qa.settings.value')} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <div>
                <Button
                  type="dashed"
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => add({ metric: 'talkOverShare', op: 'gt', value: 0.1 })}
                >
                  {t('qa.settings.addRule')}
                </Button>
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  {t('qa.settings.shareHint')}
                </Typography.Text>
              </div>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  )
}
