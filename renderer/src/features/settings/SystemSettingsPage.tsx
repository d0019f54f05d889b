import { useEffect } from 'react'
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Switch } from 'antd'
import { useTranslation } from 'react-i18next'
import { ROLES, type Settings } from '../../../../shared/contract'
import { useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { keys, useMethodMutation, useMethodQuery } from '../../api/queries'

/** Organisation settings (administrators). */
export function SystemSettingsPage() {
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <OrgCard />
      <SmtpCard />
    </Space>
  )
}

function OrgCard() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const q = useMethodQuery('settings.get', {}, keys.settings)
  const save = useMethodMutation('settings.update', [keys.settings, keys.systemInfo])
  const [form] = Form.useForm<Settings>()
  useInvalidateOn('settings.changed', keys.settings)
  useEffect(() => {
    if (q.data) form.setFieldsValue(q.data)
  }, [q.data, form])
  return (
    <Card title={t('settings.org')} loading={q.isLoading} style={{ maxWidth: 720 }}>
      {save.error && <Alert type="error" showIcon message={errorText(t, save.error)} style={{ marginBottom: 16 }} />}
      <Form<Settings>
        form={form}
        layout="vertical"
        onFinish={(v) =>
          save.mutate(q.data ? { ...v, dispatch: { ...q.data.dispatch, ...v.dispatch }, followUp: { ...q.data.followUp, ...v.followUp } } : v, {
            onSuccess: () => void message.success(t('common.saved'))
          })
        }
      >
        <Form.Item name="orgName" label={t('settings.orgName')}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="defaultLocale" label={t('settings.defaultLocale')}>
          <Select options={[{ value: 'zh-CN', label: '简体中文' }, { value: 'en', label: 'English' }]} />
        </Form.Item>
        <Form.Item name="demoMode" label={t('settings.demoMode')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="sessionHours" label={t('settings.sessionHours')}>
          <InputNumber min={1} max={72} />
        </Form.Item>
        <Form.Item name="lockoutThreshold" label={t('settings.lockoutThreshold')}>
          <InputNumber min={3} max={20} />
        </Form.Item>
        <Form.Item name="lockoutMinutes" label={t('settings.lockoutMinutes')}>
          <InputNumber min={1} max={1440} />
        </Form.Item>
        <Form.Item name="timeZone" label={t('settings.timeZone')} extra={t('settings.timeZoneHint')}>
          <Select showSearch style={{ width: 240 }} options={['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Taipei', 'UTC'].map((z) => ({ value: z, label: z }))} />
        </Form.Item>
        <Form.Item name="capPerNumber24h" label={t('settings.capPerNumber24h')}>
          <InputNumber min={1} max={20} />
        </Form.Item>
        <Form.Item name="capPerNumber5min" label={t('settings.capPerNumber5min')}>
          <InputNumber min={1} max={5} />
        </Form.Item>
        <Form.Item name="leaseMinutes" label={t('settings.leaseMinutes')}>
          <InputNumber min={1} max={120} />
        </Form.Item>
        <Form.Item name="maskStyle" label={t('settings.maskStyle')}>
          <Select style={{ width: 240 }} options={[{ value: 'middle4', label: t('settings.maskStyles.middle4') }, { value: 'keepLast4', label: t('settings.maskStyles.keepLast4') }]} />
        </Form.Item>
        <Form.Item name="clearRoles" label={t('settings.clearRoles')} extra={t('settings.clearRolesHint')}>
          <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
        <Form.Item name="unmaskRoles" label={t('settings.unmaskRoles')} extra={t('settings.unmaskRolesHint')}>
          <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
        <Form.Item name={['lanHub', 'enabled']} label={t('settings.lanHub')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name={['lanHub', 'host']} label={t('settings.lanHubHost')}>
          <Input style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name={['lanHub', 'port']} label={t('settings.lanHubPort')}>
          <InputNumber min={1024} max={65535} />
        </Form.Item>
        <Space wrap>
          <Form.Item name={['dispatch', 'receiveBy']} label={t('smtp.receiveBy')} rules={[{ pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'HH:MM' }]}>
            <Input style={{ width: 90 }} />
          </Form.Item>
          <Form.Item name={['dispatch', 'assignBy']} label={t('smtp.assignBy')} rules={[{ pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'HH:MM' }]}>
            <Input style={{ width: 90 }} />
          </Form.Item>
          <Form.Item name={['dispatch', 'packageEmail']} label={t('smtp.packageEmail')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item name={['dispatch', 'directionCities']} label={t('settings.directionCities')} extra={t('settings.directionCitiesHint')}>
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} style={{ maxWidth: 400 }} />
        </Form.Item>
        <Space wrap>
          <Form.Item name={['followUp', 'start']} label={t('settings.followUpStart')} rules={[{ pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'HH:MM' }]}>
            <Input style={{ width: 90 }} />
          </Form.Item>
          <Form.Item name={['followUp', 'end']} label={t('settings.followUpEnd')} rules={[{ pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'HH:MM' }]}>
            <Input style={{ width: 90 }} />
          </Form.Item>
          <Form.Item name={['followUp', 'coolingOffDays']} label={t('settings.coolingOffDays')}>
            <InputNumber min={5} max={60} />
          </Form.Item>
        </Space>
        <div>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </div>
      </Form>
    </Card>
  )
}

/** The mail server the day's success package goes out through (administrators); the password is write-only. */
function SmtpCard() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const q = useMethodQuery('smtp.get', {}, ['smtp.get'])
  const save = useMethodMutation('smtp.set', [['smtp.get']])
  const [form] = Form.useForm<{ host: string; port: number; secure: boolean; user: string; password?: string; from: string; to: string }>()
  useEffect(() => {
    if (q.data) form.setFieldsValue({ ...q.data, to: q.data.to.join('\n'), password: '' })
  }, [q.data, form])
  return (
    <Card title={t('smtp.title')} loading={q.isLoading} style={{ maxWidth: 720 }}>
      {save.error && <Alert type="error" showIcon message={errorText(t, save.error)} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          save.mutate(
            { ...v, password: v.password || undefined, to: v.to.split(/[\s,;，；]+/).filter(Boolean) },
            { onSuccess: () => void message.success(t('common.saved')) }
          )
        }
      >
        <Space wrap>
          <Form.Item name="host" label={t('smtp.host')}>
            <Input style={{ width: 240 }} />
          </Form.Item>
          <Form.Item name="port" label={t('smtp.port')}>
            <InputNumber min={1} max={65535} />
          </Form.Item>
          <Form.Item name="secure" label={t('smtp.secure')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="user" label={t('smtp.user')}>
            <Input style={{ width: 200 }} autoComplete="off" />
          </Form.Item>
          <Form.Item name="password" label={t('smtp.password')} extra={q.data?.hasPassword ? t('smtp.passwordKept') : undefined}>
            <Input.Password style={{ width: 200 }} autoComplete="new-password" />
          </Form.Item>
        </Space>
        <Form.Item name="from" label={t('smtp.from')}>
          <Input style={{ width: 320 }} />
        </Form.Item>
        <Form.Item name="to" label={t('smtp.to')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  )
}
