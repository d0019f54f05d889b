import { Result, Spin } from 'antd'
import { useTranslation } from 'react-i18next'
import { errorText } from './api/errors'
import { keys, useMethodQuery } from './api/queries'
import { useCentreClockSync } from './api/centre-clock'
import { useAuth } from './features/auth/AuthProvider'
import { FirstAdminPage } from './features/auth/FirstAdminPage'
import { LoginPage } from './features/auth/LoginPage'
import { AppShell } from './features/shell/AppShell'

export function App() {
  const { t } = useTranslation()
  const { state } = useAuth()
  const info = useMethodQuery('system.info', {}, keys.systemInfo)
  // Days and times are the centre's: nothing is shown before its clock is known.
  const clockKnown = useCentreClockSync()

  if (info.error) return <Result status="error" title={errorText(t, info.error)} />
  if (!info.data || !clockKnown || state.status === 'loading') {
    return (
      <div className="center-page">
        <Spin size="large" tip={t('common.loading')}>
          <div style={{ width: 200, height: 80 }} />
        </Spin>
      </div>
    )
  }
  if (state.status === 'authed') return <AppShell info={info.data} />
  if (info.data.needsFirstAdmin) return <FirstAdminPage onDone={() => void info.refetch()} />
  return <LoginPage info={info.data} />
}
