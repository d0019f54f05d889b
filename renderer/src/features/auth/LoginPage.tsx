import { useState } from 'react'
import { Alert, Button, Card, Form, Input, List, Space, Tag, Typography } from 'antd'
import { LockOutlined, UserOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { SystemInfo } from '../../../../shared/contract'
import { errorText } from '../../api/errors'
import { LanguageSwitch } from '../../ui/LanguageSwitch'
import { useAuth } from './AuthProvider'

export function LoginPage({ info }: { info: SystemInfo }) {
  const { t } = useTranslation()
  const { login, state } = useAuth()
  const [form] = Form.useForm<{ username: string; password: string }>()
  const [error, setError] = useState<unknown>(state.status === 'anonymous' ? state.notice : undefined)
  const [busy, setBusy] = useState(false)

  const submit = async ({ username, password }: { username: string; password: string }) => {
    setBusy(true)
    setError(undefined)
    try {
      await login(username, password)
    } catch (err) {
      setError(err)
      form.setFieldValue('password', '')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="center-page">
      <Space direction="vertical" size="large" style={{ width: 420 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Card title={t('login.title')}>
          {error !== undefined && (
            <Alert type="error" showIcon role="alert" message={errorText(t, error)} style={{ marginBottom: 16 }} />
          )}
          <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} autoComplete="off">
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, message: t('login.usernameRequired') }]}
            >
              <Input prefix={<UserOutlined />} autoFocus autoComplete="username" />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('login.submit')}
            </Button>
          </Form>
        </Card>
        {info.demoMode && info.demoAccounts.length > 0 && (
          <Card size="small" title={t('login.demoTitle')}>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('login.demoHint')}
            </Typography.Paragraph>
            <List
              size="small"
              dataSource={info.demoAccounts}
              renderItem={(a) => (
                <List.Item
                  style={{ cursor: 'pointer' }}
                  onClick={() => form.setFieldsValue({ username: a.username, password: a.password })}
                  data-testid={`demo-${a.username}`}
                >
                  <Space>
                    <Tag>{t(`roles.${a.role}`)}</Tag>
                    <span>{a.displayName}</span>
                  </Space>
                  <Typography.Text code>
                    {a.username} / {a.password}
                  </Typography.Text>
                </List.Item>
              )}
            />
          </Card>
        )}
      </Space>
    </div>
  )
}
