import { useEffect, useState, type FormEvent } from 'react'
import { Alert, Button, Card, Grid, Input, Space, Tag, Typography } from 'antd'
import { LockOutlined, UserOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { SystemInfo } from '../../../../shared/contract'
import { errorText } from '../../api/errors'
import { LanguageSwitch } from '../../ui/LanguageSwitch'
import { useAuth } from './AuthProvider'
import { PAGE_MODULES } from '../shell/pages'

/**
 * The login page. A plain form (not Ant Design's Form, whose validation library every first visit
 * would download, a field agent's phone included); the two fields say what is missing themselves.
 */
export function LoginPage({ info }: { info: SystemInfo }) {
  const { t } = useTranslation()
  const { login, state } = useAuth()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({})
  const [error, setError] = useState<unknown>(state.status === 'anonymous' ? state.notice : undefined)
  const [busy, setBusy] = useState(false)
  // A phone is a field agent's: 我的拜访 comes down while they type, not after they log in.
  const phone = Grid.useBreakpoint().md === false
  useEffect(() => {
    if (phone) void PAGE_MODULES['/visits']().catch(() => {})
  }, [phone])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const gaps = { username: !username.trim(), password: !password }
    setMissing(gaps)
    if (gaps.username || gaps.password) return
    setBusy(true)
    setError(undefined)
    try {
      await login(username.trim(), password)
    } catch (err) {
      setError(err)
      setPassword('')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="center-page">
      <Space direction="vertical" size="large" style={{ width: 420, maxWidth: '100%' }}>
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
          <form onSubmit={(e) => void submit(e)} autoComplete="off" noValidate className="login-form">
            <label htmlFor="login-username">{t('login.username')}</label>
            <Input
              id="login-username"
              prefix={<UserOutlined />}
              autoFocus
              autoComplete="username"
              value={username}
              status={missing.username ? 'error' : undefined}
              aria-invalid={missing.username || undefined}
              aria-describedby="login-username-error"
              onChange={(e) => setUsername(e.target.value)}
            />
            <div className="field-error" id="login-username-error">
              {missing.username && <span role="alert">{t('login.usernameRequired')}</span>}
            </div>
            <label htmlFor="login-password">{t('login.password')}</label>
            <Input.Password
              id="login-password"
              prefix={<LockOutlined />}
              autoComplete="current-password"
              value={password}
              status={missing.password ? 'error' : undefined}
              aria-invalid={missing.password || undefined}
              aria-describedby="login-password-error"
              onChange={(e) => setPassword(e.target.value)}
            />
            <div className="field-error" id="login-password-error">
              {missing.password && <span role="alert">{t('login.passwordRequired')}</span>}
            </div>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('login.submit')}
            </Button>
          </form>
        </Card>
        {info.demoMode && info.demoAccounts.length > 0 && (
          <Card size="small" title={t('login.demoTitle')}>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('login.demoHint')}
            </Typography.Paragraph>
            <div className="demo-accounts">
              {info.demoAccounts.map((a) => (
                <button
                  type="button"
                  key={a.username}
                  className="demo-account"
                  onClick={() => {
                    setUsername(a.username)
                    setPassword(a.password)
                  }}
                  data-testid={`demo-${a.username}`}
                >
                  <span>
                    <Tag>{t(`roles.${a.role}`)}</Tag>
                    {a.displayName}
                  </span>
                  <Typography.Text code>
                    {a.username} / {a.password}
                  </Typography.Text>
                </button>
              ))}
            </div>
          </Card>
        )}
      </Space>
    </div>
  )
}
