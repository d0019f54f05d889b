import { lazy, Suspense, useEffect } from 'react'
import { Alert, App as AntApp, Spin } from 'antd'
import { useTranslation } from 'react-i18next'
import { errorText } from './api/errors'
import { keys, useMethodQuery } from './api/queries'
import { useCentreClockSync } from './api/centre-clock'
import { useAuth } from './features/auth/AuthProvider'
import { LoginPage } from './features/auth/LoginPage'
import { AppShell } from './features/shell/AppShell'

// a new installation's page, seen once: not in every seat's first download
const FirstAdminPage = lazy(() => import('./features/auth/FirstAdminPage').then((m) => ({ default: m.FirstAdminPage })))

export function App() {
  const { t } = useTranslation()
  const { state } = useAuth()
  const info = useMethodQuery('system.info', {}, keys.systemInfo)
  // Days and times are the centre's: nothing is shown before its clock is known.
  const clockKnown = useCentreClockSync()
  const { notification } = AntApp.useApp()
  // the desktop reloaded this page after it crashed or hung: say so once
  useEffect(() => {
    const reason = new URLSearchParams(window.location.search).get('recovered')
    if (reason !== 'crashed' && reason !== 'hung') return
    notification.warning({
      key: 'recovered',
      message: t(`desktop.recovered.${reason}`),
      description: t('desktop.recovered.kept'),
      duration: 0
    })
    window.history.replaceState(null, '', window.location.pathname + window.location.hash)
  }, [notification, t])

  // (an Alert, not a Result: the Result's illustrations would weigh on every first load)
  if (info.error)
    return (
      <div className="center-page">
        <Alert type="error" showIcon message={errorText(t, info.error)} />
      </div>
    )
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
  if (info.data.needsFirstAdmin)
    return (
      <Suspense fallback={<Spin />}>
        <FirstAdminPage onDone={() => void info.refetch()} />
      </Suspense>
    )
  return <LoginPage info={info.data} />
}
