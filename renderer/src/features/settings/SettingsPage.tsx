import { useEffect, useState } from 'react'
import { Alert, App, Button, Card, Form, Input, Radio, Space, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { Locale } from '../../../../shared/contract'
import { useApi } from '../../api/ApiProvider'
import { HUB_URL_KEY } from '../../api/client'
import { errorText } from '../../api/errors'
import { applyLocale } from '../../i18n'
import { AudioDevicesCard } from './AudioDevicesCard'

export function SettingsPage() {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [hubUrl, setHubUrl] = useState(localStorage.getItem(HUB_URL_KEY) ?? '')
  const [pwError, setPwError] = useState<unknown>()
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string }>()
  const hubValid = hubUrl === '' || /^wss?:\/\/[^\s/]+/.test(hubUrl)
  // the desktop says how it keeps secrets (SIP passwords) at rest; a keyring-less Linux desk is told so
  const [storage, setStorage] = useState<'os' | 'basic_text' | 'none' | null>(null)
  useEffect(() => {
    void window.leadline?.secretStorage?.().then(setStorage)
  }, [])

  return (
    <Space direction="vertical" size="large" style={{ width: '100%', maxWidth: 720 }}>
      <Card title={t('settings.language')}>
        <Radio.Group
          value={i18n.language}
          onChange={(e) => {
            const l = e.target.value as Locale
            void applyLocale(l)
            api.setLocale(l)
          }}
          options={[
            { label: '简体中文', value: 'zh-CN' },
            { label: 'English', value: 'en' }
          ]}
        />
      </Card>
      {/* joining a team hub is for the desktop app; a browser is already on the hub that served it */}
      {window.leadline && (
        <Card title={t('settings.hubUrl')} data-testid="hub-url-card">
          <Typography.Paragraph type="secondary">{t('settings.hubUrlHelp')}</Typography.Paragraph>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              aria-label={t('settings.hubUrl')}
              value={hubUrl}
              status={hubValid ? undefined : 'error'}
              placeholder="wss://hub.centre.local:7300"
              onChange={(e) => setHubUrl(e.target.value.trim())}
            />
            <Button
              type="primary"
              disabled={!hubValid}
              onClick={() => {
                if (hubUrl) localStorage.setItem(HUB_URL_KEY, hubUrl)
                else localStorage.removeItem(HUB_URL_KEY)
                // The api client is chosen at start: reload to connect the new way.
                window.location.reload()
              }}
            >
              {t('common.save')}
            </Button>
          </Space.Compact>
          {!hubValid && <Typography.Text type="danger">{t('settings.hubUrlInvalid')}</Typography.Text>}
        </Card>
      )}
      {(storage === 'basic_text' || storage === 'none') && (
        <Alert
          type="warning"
          showIcon
          data-testid="secret-storage"
          message={t(`settings.secretStorage.${storage}`)}
          description={t('settings.secretStorage.what')}
        />
      )}
      <AudioDevicesCard />
      <Card title={t('settings.changePassword')}>
        {pwError !== undefined && (
          <Alert type="error" showIcon message={errorText(t, pwError)} style={{ marginBottom: 16 }} />
        )}
        <Form
          form={form}
          layout="vertical"
          style={{ maxWidth: 360 }}
          onFinish={async (v) => {
            setPwError(undefined)
            try {
              await api.invoke('auth.changePassword', v)
              form.resetFields()
              void message.success(t('settings.passwordChanged'))
            } catch (err) {
              setPwError(err)
            }
          }}
        >
          <Form.Item name="currentPassword" label={t('settings.currentPassword')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('settings.newPassword')}
            rules={[{ required: true, min: 8, message: t('setup.passwordRule') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button htmlType="submit">{t('common.save')}</Button>
        </Form>
      </Card>
    </Space>
  )
}
