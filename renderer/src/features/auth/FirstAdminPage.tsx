import { useState } from 'react'
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { LanguageSwitch } from '../../ui/LanguageSwitch'
import { useAuth } from './AuthProvider'

interface Values {
  setupCode?: string
  username: string
  displayName: string
  password: string
  confirm: string
}

export function FirstAdminPage({ onDone, codeRequired }: { onDone: () => void; codeRequired: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const { adopt } = useAuth()
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)

  const submit = async (v: Values) => {
    setBusy(true)
    setError(undefined)
    try {
      adopt(
        await api.invoke('auth.setupFirstAdmin', {
          username: v.username,
          displayName: v.displayName,
          password: v.password,
          ...(codeRequired ? { setupCode: v.setupCode } : {})
        })
      )
      onDone()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="center-page">
      <Space direction="vertical" size="large" style={{ width: 440 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Card title={t('setup.title')}>
          <Typography.Paragraph>{t('setup.intro')}</Typography.Paragraph>
          {error !== undefined && (
            <Alert type="error" showIcon message={errorText(t, error)} style={{ marginBottom: 16 }} />
          )}
          <Form<Values> layout="vertical" onFinish={submit}>
            {codeRequired && (
              <Form.Item
                name="setupCode"
                label={t('setup.code')}
                extra={t('setup.codeHint')}
                rules={[{ required: true, message: t('setup.codeRequired') }]}
              >
                <Input autoFocus autoComplete="off" inputMode="numeric" />
              </Form.Item>
            )}
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{2,32}$/ }]}
            >
              <Input autoFocus={!codeRequired} />
            </Form.Item>
            <Form.Item name="displayName" label={t('setup.displayName')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, min: 8, message: t('setup.passwordRule') }]}
            >
              <Input.Password />
            </Form.Item>
            <Form.Item
              name="confirm"
              label={t('setup.confirm')}
              dependencies={['password']}
              rules={[
                { required: true },
                ({ getFieldValue }) => ({
                  validator: (_r, value) =>
                    value === getFieldValue('password')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('setup.mismatch')))
                })
              ]}
            >
              <Input.Password />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('setup.submit')}
            </Button>
          </Form>
        </Card>
      </Space>
    </div>
  )
}
