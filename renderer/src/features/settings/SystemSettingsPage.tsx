import { useEffect } from 'react'
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Switch,
  Tabs,
  Typography
} from 'antd'
import { useTranslation } from 'react-i18next'
import { ROLES } from '../../../../shared/contract/enums'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { keys, useMethodMutation, useMethodQuery } from '../../api/queries'
import { centre } from '../../ui/centre-time'
import { CalendarCard } from './CalendarCard'
import { PbxDialCard } from './PbxDialCard'
import { DispatchSection } from './DispatchSection'
import { ComplianceSection } from './ComplianceSection'
import { StorageSection } from './StorageSection'
import { HHMM, Section } from './SettingsSection'

/**
 * 系统设置 (administrators): the organisation's settings in sections — each with its own tab, a
 * line of explanation per setting with its unit, and its own save with a clear result. What only
 * works in the desktop app (sharing this seat's pool on the LAN) is shown only there.
 */
export function SystemSettingsPage() {
  const { t } = useTranslation()
  const api = useApi()
  const q = useMethodQuery('settings.get', {}, keys.settings)
  useInvalidateOn('settings.changed', keys.settings)
  const sections = [
    { key: 'org', label: t('settings.sections.org'), children: <OrgSection /> },
    { key: 'security', label: t('settings.sections.security'), children: <SecuritySection /> },
    { key: 'dialling', label: t('settings.sections.dialling'), children: <DiallingSection /> },
    { key: 'privacy', label: t('settings.sections.privacy'), children: <PrivacySection /> },
    { key: 'monitoring', label: t('settings.sections.monitoring'), children: <MonitoringSection /> },
    { key: 'dispatch', label: t('settings.sections.dispatch'), children: <DispatchSection /> },
    { key: 'compliance', label: t('settings.sections.compliance'), children: <ComplianceSection /> },
    { key: 'mail', label: t('settings.sections.mail'), children: <SmtpCard /> },
    { key: 'backup', label: t('settings.sections.backup'), children: <BackupSection /> },
    { key: 'storage', label: t('settings.sections.storage'), children: <StorageSection /> },
    // the LAN hub runs inside a desktop seat that works on its own data
    ...(api.kind === 'ipc' ? [{ key: 'lan', label: t('settings.sections.lan'), children: <LanSection /> }] : [])
  ]
  return (
    <Card title={t('nav.system')} loading={q.isLoading} data-testid="system-settings">
      <Tabs tabPosition="left" items={sections} destroyOnHidden={false} />
    </Card>
  )
}

function OrgSection() {
  const { t } = useTranslation()
  return (
    <Section name="org">
      <Form.Item name="orgName" label={t('settings.orgName')} extra={t('settings.hints.orgName')}>
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="defaultLocale" label={t('settings.defaultLocale')} extra={t('settings.hints.defaultLocale')}>
        <Select
          style={{ width: 200 }}
          options={[
            { value: 'zh-CN', label: '简体中文' },
            { value: 'en', label: 'English' }
          ]}
        />
      </Form.Item>
      <Form.Item name="timeZone" label={t('settings.timeZone')} extra={t('settings.timeZoneHint')}>
        <Select
          showSearch
          style={{ width: 240 }}
          options={['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Taipei', 'UTC'].map((z) => ({
            value: z,
            label: z
          }))}
        />
      </Form.Item>
      <Form.Item
        name="demoMode"
        label={t('settings.demoMode')}
        valuePropName="checked"
        extra={t('settings.hints.demoMode')}
      >
        <Switch />
      </Form.Item>
      <Form.Item
        name={['teams', 'supervisorsSeeAll']}
        label={t('settings.teamsSeeAll')}
        valuePropName="checked"
        extra={t('settings.hints.teamsSeeAll')}
      >
        <Switch />
      </Form.Item>
    </Section>
  )
}

function SecuritySection() {
  const { t } = useTranslation()
  return (
    <Section name="security">
      <Form.Item name="sessionHours" label={t('settings.sessionHours')} extra={t('settings.hints.sessionHours')}>
        <InputNumber min={1} max={72} addonAfter={t('settings.units.hours')} />
      </Form.Item>
      <Form.Item
        name="lockoutThreshold"
        label={t('settings.lockoutThreshold')}
        extra={t('settings.hints.lockoutThreshold')}
      >
        <InputNumber min={3} max={20} addonAfter={t('settings.units.times')} />
      </Form.Item>
      <Form.Item name="lockoutMinutes" label={t('settings.lockoutMinutes')} extra={t('settings.hints.lockoutMinutes')}>
        <InputNumber min={1} max={1440} addonAfter={t('settings.units.minutes')} />
      </Form.Item>
    </Section>
  )
}

function DiallingSection() {
  const { t } = useTranslation()
  const q = useMethodQuery('settings.get', {}, keys.settings)
  return (
    <Section name="dialling">
      <Form.Item
        name="capPerNumber24h"
        label={t('settings.capPerNumber24h')}
        extra={t('settings.hints.capPerNumber24h')}
      >
        <InputNumber min={1} max={20} addonAfter={t('settings.units.times')} />
      </Form.Item>
      <Form.Item
        name="capPerNumber5min"
        label={t('settings.capPerNumber5min')}
        extra={t('settings.hints.capPerNumber5min')}
      >
        <InputNumber min={1} max={5} addonAfter={t('settings.units.times')} />
      </Form.Item>
      <Form.Item name="leaseMinutes" label={t('settings.leaseMinutesLabel')} extra={t('settings.leaseMinutes')}>
        <InputNumber min={1} max={120} addonAfter={t('settings.units.minutes')} />
      </Form.Item>
      <Form.Item
        name="areaCode"
        label={t('settings.areaCode')}
        extra={t('settings.areaCodeHint')}
        rules={[{ pattern: /^0\d{2,3}$/, message: '0771' }]}
      >
        <Input style={{ width: 120 }} maxLength={4} />
      </Form.Item>
      <Space size="large" align="start">
        <Form.Item name={['area', 'province']} label={t('settings.areaProvince')} rules={[{ required: true, min: 2 }]}>
          <Input style={{ width: 140 }} maxLength={16} placeholder="广西" />
        </Form.Item>
        <Form.Item name={['area', 'city']} label={t('settings.areaCity')} rules={[{ required: true, min: 2 }]}>
          <Input style={{ width: 140 }} maxLength={32} placeholder="南宁市" />
        </Form.Item>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: -16 }}>
        {t('settings.areaHint')}
      </Typography.Paragraph>
      <Form.Item
        name={['dialPlan', 'zeroForOutOfTownMobiles']}
        label={t('settings.zeroForOutOfTownMobiles')}
        extra={t('settings.zeroForOutOfTownMobilesHint')}
        valuePropName="checked"
      >
        <Switch />
      </Form.Item>
      <Form.Item
        name={['telephony', 'pbxDialsByToken']}
        label={t('settings.pbx.tokens')}
        extra={t('settings.pbx.tokensHint')}
        valuePropName="checked"
      >
        <Switch data-testid="pbx-tokens" />
      </Form.Item>
      <PbxDialCard tokensOn={q.data?.telephony.pbxDialsByToken ?? true} />
      <CalendarCard />
    </Section>
  )
}

function PrivacySection() {
  const { t } = useTranslation()
  return (
    <Section name="privacy">
      <Form.Item name="maskStyle" label={t('settings.maskStyle')} extra={t('settings.hints.maskStyle')}>
        <Select
          style={{ width: 280 }}
          options={[
            { value: 'middle4', label: t('settings.maskStyles.middle4') },
            { value: 'keepLast4', label: t('settings.maskStyles.keepLast4') }
          ]}
        />
      </Form.Item>
      <Form.Item name="clearRoles" label={t('settings.clearRoles')} extra={t('settings.clearRolesHint')}>
        <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
      </Form.Item>
      <Form.Item name="unmaskRoles" label={t('settings.unmaskRoles')} extra={t('settings.unmaskRolesHint')}>
        <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
      </Form.Item>
    </Section>
  )
}

/** Whether the operator's desk says the call is monitored, per mode. */
function MonitoringSection() {
  const { t } = useTranslation()
  return (
    <Section name="monitoring">
      <Typography.Paragraph type="secondary">{t('settings.hints.monitoring')}</Typography.Paragraph>
      {(['showListen', 'showWhisper', 'showBarge'] as const).map((k) => (
        <Form.Item key={k} name={['monitoring', k]} label={t(`settings.monitoring.${k}`)} valuePropName="checked">
          <Switch />
        </Form.Item>
      ))}
    </Section>
  )
}

function BackupSection() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const live = useMethodQuery('reports.live', {}, ['reports.live'])
  const backup = live.data?.backup
  const saved = useMethodQuery('settings.get', {}, keys.settings)
  const now = useMethodMutation('system.backupNow', [['reports.live']])
  const replication = useMethodQuery('system.replication', {}, ['system.replication'])
  const handover = useMethodMutation('system.handover', [])
  const rep = replication.data
  return (
    <Section name="backup">
      <Alert type="info" showIcon message={t('settings.hints.backup')} style={{ marginBottom: 16 }} />
      {rep?.configured && (
        <Alert
          type={rep.replicating ? 'success' : 'error'}
          showIcon
          data-testid="replication"
          message={
            rep.replicating
              ? t('settings.replication.on', {
                  target: rep.target ?? '',
                  at: rep.replicatedAt ? centre.format(rep.replicatedAt, 'HH:mm:ss') : '—',
                  lag: rep.lagBytes ?? 0
                })
              : t('settings.replication.off', { target: rep.target ?? '', why: rep.lastError ?? '' })
          }
          description={
            rep.epoch !== null ? (
              <Space direction="vertical" size={4} data-testid="hubs">
                <span>
                  {t('settings.replication.lease', { epoch: rep.epoch, self: rep.self ?? '' })}
                  {rep.takeoverAt
                    ? ` ${t('settings.replication.tookOver', { at: centre.format(rep.takeoverAt) })}`
                    : ''}
                </span>
                {rep.recordingsMissing ? (
                  <Typography.Text type="warning" data-testid="recordings-missing">
                    {t('settings.replication.recordingsMissing', { n: rep.recordingsMissing })}
                  </Typography.Text>
                ) : null}
                <span>
                  {rep.standbys.length
                    ? t('settings.replication.standbys', { list: rep.standbys.join('、') })
                    : t('settings.replication.noStandby')}
                </span>
                {rep.standbys.length > 0 && (
                  <Popconfirm
                    title={t('settings.replication.handoverConfirm')}
                    onConfirm={() =>
                      handover.mutate(
                        {},
                        { onSuccess: () => void message.success(t('settings.replication.handedOver')) }
                      )
                    }
                  >
                    <Button size="small" danger loading={handover.isPending} data-testid="handover">
                      {t('settings.replication.handover')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ) : undefined
          }
          style={{ marginBottom: 16 }}
        />
      )}
      {backup && !backup.passphrase && (
        <Alert
          type="warning"
          showIcon
          data-testid="backup-no-passphrase"
          message={t('settings.backupNoPassphrase')}
          style={{ marginBottom: 16 }}
        />
      )}
      {backup?.last && (
        <Alert
          type={backup.last.ok ? 'success' : 'error'}
          showIcon
          data-testid="backup-last"
          message={
            backup.last.ok
              ? t('settings.backupLastOk', { at: centre.format(backup.last.at) })
              : t('settings.backupLastFailed', { at: centre.format(backup.last.at), why: backup.last.message ?? '' })
          }
          style={{ marginBottom: 16 }}
        />
      )}
      {now.error && <Alert type="error" showIcon message={errorText(t, now.error)} style={{ marginBottom: 16 }} />}
      <Form.Item
        name={['backup', 'folder']}
        label={t('settings.backupFolder')}
        extra={t('settings.hints.backupFolder')}
      >
        <Input placeholder="/mnt/nas/leadline" />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item
          name={['backup', 'at']}
          label={t('settings.backupAt')}
          rules={[{ pattern: HHMM, message: t('settings.hhmm') }]}
        >
          <Input style={{ width: 90 }} placeholder="02:00" />
        </Form.Item>
        <Form.Item name={['backup', 'keepDays']} label={t('settings.backupKeep')}>
          <InputNumber min={1} max={3650} addonAfter={t('settings.units.days')} />
        </Form.Item>
        <Form.Item label=" ">
          <Button
            data-testid="backup-now"
            loading={now.isPending}
            disabled={!saved.data?.backup.folder}
            onClick={() =>
              now.mutate(
                {},
                { onSuccess: (r) => void message.success(t('settings.backupDone', { s: r.seconds.toFixed(1) })) }
              )
            }
          >
            {now.isPending ? t('settings.backupRunning') : t('settings.backupNow')}
          </Button>
        </Form.Item>
      </Space>
    </Section>
  )
}

function LanSection() {
  const { t } = useTranslation()
  return (
    <Section name="lan">
      <Form.Item
        name={['lanHub', 'enabled']}
        label={t('settings.lanHub')}
        valuePropName="checked"
        extra={t('settings.hints.lanHub')}
      >
        <Switch />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item name={['lanHub', 'host']} label={t('settings.lanHubHost')} extra={t('settings.hints.lanHubHost')}>
          <Input style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name={['lanHub', 'port']} label={t('settings.lanHubPort')}>
          <InputNumber min={1024} max={65535} />
        </Form.Item>
      </Space>
    </Section>
  )
}

/** The mail server the day's success package goes out through (administrators); the password is write-only. */
function SmtpCard() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const q = useMethodQuery('smtp.get', {}, ['smtp.get'])
  const save = useMethodMutation('smtp.set', [['smtp.get']])
  const [form] = Form.useForm<{
    host: string
    port: number
    secure: boolean
    plain: boolean
    user: string
    password?: string
    from: string
    to: string
  }>()
  useEffect(() => {
    if (q.data) form.setFieldsValue({ ...q.data, to: q.data.to.join('\n'), password: '' })
  }, [q.data, form])
  return (
    <Form
      form={form}
      layout="vertical"
      style={{ maxWidth: 640 }}
      onFinish={(v) =>
        save.mutate(
          { ...v, password: v.password || undefined, to: v.to.split(/[\s,;，；]+/).filter(Boolean) },
          {
            onSuccess: () => void message.success(t('settings.sectionSaved', { section: t('settings.sections.mail') }))
          }
        )
      }
    >
      <Alert type="info" showIcon message={t('smtp.title')} style={{ marginBottom: 16 }} />
      {save.error && <Alert type="error" showIcon message={errorText(t, save.error)} style={{ marginBottom: 16 }} />}
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
        <Form.Item name="plain" label={t('smtp.plain')} valuePropName="checked" tooltip={t('smtp.plainHint')}>
          <Switch />
        </Form.Item>
      </Space>
      <Form.Item noStyle shouldUpdate>
        {() =>
          form.getFieldValue('plain') && !form.getFieldValue('secure') ? (
            <Alert type="warning" showIcon message={t('smtp.plainWarning')} style={{ marginBottom: 16 }} />
          ) : null
        }
      </Form.Item>
      <Space wrap>
        <Form.Item name="user" label={t('smtp.user')}>
          <Input style={{ width: 200 }} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('smtp.password')}
          extra={q.data?.hasPassword ? t('smtp.passwordKept') : undefined}
        >
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
        {t('settings.saveSection', { section: t('settings.sections.mail') })}
      </Button>
    </Form>
  )
}
