import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText } from './api/errors'
import { keys, useMethodQuery } from './api/queries'
import { useCentreClockSync } from './api/centre-clock'
import { useAuth } from './features/auth/AuthProvider'
import { LoginPage } from './features/auth/LoginPage'
import { PhoneShell } from './features/shell/PhoneShell'
import { RecoveredNotice } from './features/shell/RecoveredNotice'
import { preloadLikelyLanding } from './features/shell/pages'
import { WithAnt } from './features/shell/with-ant'
import { isPhoneScreen, usePhoneScreen } from './ui/screen'
import { PlainAlert, PlainSpin } from './ui/plain'
import { arrivedLazy } from './ui/arrived-lazy'

// a new installation's page, seen once: not in every seat's first download
const FirstAdminPage = lazy(() => import('./features/auth/FirstAdminPage').then((m) => ({ default: m.FirstAdminPage })))

/**
 * The first screen is plain (the login page, a phone's shell and 我的拜访); a desktop-sized screen's
 * shell is Ant Design's, fetched as soon as the page starts so that it is here when the login is.
 */
const desktopShell = arrivedLazy(() => import('./features/shell/AppShell').then((m) => m.DesktopShell))
const DesktopShell = desktopShell.Component
if (!isPhoneScreen()) void desktopShell.load().then(preloadLikelyLanding, () => {})

function Loading() {
  const { t } = useTranslation()
  return (
    <div className="center-page">
      <PlainSpin tip={t('common.loading')} />
    </div>
  )
}

export function App() {
  return (
    <>
      <RecoveredNotice />
      <Screen />
    </>
  )
}

function Screen() {
  const { t } = useTranslation()
  const { state } = useAuth()
  const phone = usePhoneScreen()
  const info = useMethodQuery('system.info', {}, keys.systemInfo)
  // Days and times are the centre's: nothing is shown before its clock is known.
  const clockKnown = useCentreClockSync()

  if (info.error)
    return (
      <div className="center-page">
        <PlainAlert type="error" message={errorText(t, info.error)} />
      </div>
    )
  if (!info.data || !clockKnown || state.status === 'loading') return <Loading />
  if (state.status === 'authed')
    return phone ? (
      <PhoneShell info={info.data} />
    ) : (
      <Suspense fallback={<Loading />}>
        <DesktopShell info={info.data} />
      </Suspense>
    )
  if (info.data.needsFirstAdmin)
    return (
      <WithAnt fallback={<Loading />}>
        <Suspense fallback={<Loading />}>
          <FirstAdminPage onDone={() => void info.refetch()} codeRequired={info.data.setupCodeRequired} />
        </Suspense>
      </WithAnt>
    )
  return <LoginPage info={info.data} />
}
