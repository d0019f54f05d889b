import { useState, type FormEvent } from 'react'
import EyeInvisibleOutlined from '@ant-design/icons-svg/es/asn/EyeInvisibleOutlined'
import EyeOutlined from '@ant-design/icons-svg/es/asn/EyeOutlined'
import LockOutlined from '@ant-design/icons-svg/es/asn/LockOutlined'
import UserOutlined from '@ant-design/icons-svg/es/asn/UserOutlined'
import { useTranslation } from 'react-i18next'
import type { SystemInfo } from '../../../../shared/contract'
import { errorText } from '../../api/errors'
import { Icon } from '../../ui/Icon'
import { LanguageSwitch } from '../../ui/LanguageSwitch'
import { PlainAlert, PlainButton, PlainTag } from '../../ui/plain'
import { remembersLogin, useAuth } from './AuthProvider'

/**
 * The login page, in plain HTML that looks like Ant Design (ui/plain.tsx): it is every seat's first
 * screen, a field agent's phone on a mobile line included, and comes without the component library.
 * The two fields say what is missing themselves.
 */
export function LoginPage({ info }: { info: SystemInfo }) {
  const { t } = useTranslation()
  const { login, state } = useAuth()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({})
  const [error, setError] = useState<unknown>(state.status === 'anonymous' ? state.notice : undefined)
  const [busy, setBusy] = useState(false)
  const [shown, setShown] = useState(false)
  const [remember, setRemember] = useState(remembersLogin)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const gaps = { username: !username.trim(), password: !password }
    setMissing(gaps)
    if (gaps.username || gaps.password) return
    setBusy(true)
    setError(undefined)
    try {
      await login(username.trim(), password, remember)
    } catch (err) {
      setError(err)
      setPassword('')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="center-page">
      <div className="login-column">
        <div className="login-top">
          <h1>{t('app.name')}</h1>
          <LanguageSwitch />
        </div>
        <section className="plain-card" aria-labelledby="login-title">
          <div className="plain-card-head" id="login-title">
            {t('login.title')}
          </div>
          <div className="plain-card-body">
            {error !== undefined && (
              <div style={{ marginBottom: 16 }}>
                <PlainAlert type="error" message={errorText(t, error)} />
              </div>
            )}
            <form onSubmit={(e) => void submit(e)} autoComplete="off" noValidate className="login-form">
              <label htmlFor="login-username">{t('login.username')}</label>
              <div className={`plain-input${missing.username ? ' plain-input-error' : ''}`}>
                <Icon def={UserOutlined} />
                <input
                  id="login-username"
                  autoFocus
                  autoComplete="username"
                  value={username}
                  aria-invalid={missing.username || undefined}
                  aria-describedby="login-username-error"
                  onChange={(e) => setUsername(e.target.value)}
                />
              </div>
              <div className="field-error" id="login-username-error">
                {missing.username && <span role="alert">{t('login.usernameRequired')}</span>}
              </div>
              <label htmlFor="login-password">{t('login.password')}</label>
              <div className={`plain-input${missing.password ? ' plain-input-error' : ''}`}>
                <Icon def={LockOutlined} />
                <input
                  id="login-password"
                  type={shown ? 'text' : 'password'}
                  autoComplete="current-password"
                  value={password}
                  aria-invalid={missing.password || undefined}
                  aria-describedby="login-password-error"
                  onChange={(e) => setPassword(e.target.value)}
                />
                {/* named by its title and icon, not a label: 用户名/密码 stay the only fields so named */}
                <button
                  type="button"
                  className="plain-input-suffix"
                  title={t(shown ? 'login.hidePassword' : 'login.showPassword')}
                  aria-pressed={shown}
                  onClick={() => setShown(!shown)}
                >
                  <Icon def={shown ? EyeOutlined : EyeInvisibleOutlined} />
                </button>
              </div>
              <div className="field-error" id="login-password-error">
                {missing.password && <span role="alert">{t('login.passwordRequired')}</span>}
              </div>
              <label className="plain-checkbox" title={t('login.rememberHint')}>
                <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
                <span>{t('login.remember')}</span>
              </label>
              <PlainButton kind="primary" type="submit" block loading={busy}>
                {t('login.submit')}
              </PlainButton>
            </form>
          </div>
        </section>
        {info.demoMode && info.demoAccounts.length > 0 && (
          <section className="plain-card plain-card-small" aria-labelledby="login-demo">
            <div className="plain-card-head" id="login-demo">
              {t('login.demoTitle')}
            </div>
            <div className="plain-card-body">
              <p className="plain-text-secondary" style={{ margin: '0 0 8px' }}>
                {t('login.demoHint')}
              </p>
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
                      <PlainTag>{t(`roles.${a.role}`)}</PlainTag> {a.displayName}
                    </span>
                    <code className="plain-code">
                      {a.username} / {a.password}
                    </code>
                  </button>
                ))}
              </div>
            </div>
          </section>
        )}
      </div>
    </div>
  )
}
