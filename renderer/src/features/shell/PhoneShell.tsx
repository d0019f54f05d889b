import { Suspense, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import CloseOutlined from '@ant-design/icons-svg/es/asn/CloseOutlined'
import LogoutOutlined from '@ant-design/icons-svg/es/asn/LogoutOutlined'
import MenuOutlined from '@ant-design/icons-svg/es/asn/MenuOutlined'
import type { SystemInfo } from '../../../../shared/contract'
import { useConnectionStatus, useResendRefused } from '../../api/ApiProvider'
import { Icon } from '../../ui/Icon'
import { LanguageSwitch } from '../../ui/LanguageSwitch'
import { PlainAlert, PlainButton, PlainSkeleton, PlainTag } from '../../ui/plain'
import { SeatClockNotice } from '../../ui/SeatClockNotice'
import { useAuth, useCurrentUser } from '../auth/AuthProvider'
import { VisitsPage } from '../dispatch/VisitsPage'
import { useDesktopHub } from './desktop-hub'
import { navFor } from './nav'
import { landingPath, PAGES } from './pages'
import { useHashRoute } from './use-hash-route'
import { WithAnt } from './with-ant'
import './phone-shell.css'

/**
 * The shell of a phone's screen (field agents; anyone who opens the hub on a phone): a header with the
 * menu button and the page's title on one line, and a menu that slides in with the name, the pages,
 * the language and logging out. Plain, like 我的拜访 itself: a field agent's first visit over a
 * phone line carries no component library; other pages bring Ant Design when first opened.
 */
export function PhoneShell({ info }: { info: SystemInfo }) {
  const { t } = useTranslation()
  const user = useCurrentUser()
  const { logout } = useAuth()
  const status = useConnectionStatus()
  const [refused, clearRefused] = useResendRefused()
  const items = navFor(user.role)
  const [path, go] = useHashRoute()
  useDesktopHub()
  const current = items.find((i) => i.path === landingPath(user.role, path))!
  const [menuOpen, setMenuOpen] = useState(false)
  // the menu is made when first opened, and kept (as it slides out and in again)
  const [menuMade, setMenuMade] = useState(false)
  const menuRef = useRef<HTMLDivElement>(null)
  const opener = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (!menuOpen) return
    menuRef.current?.focus()
    // Escape closes it; Tab stays inside while it is open (a modal dialog)
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setMenuOpen(false)
        opener.current?.focus()
        return
      }
      if (e.key !== 'Tab' || !menuRef.current) return
      const focusable = [...menuRef.current.querySelectorAll<HTMLElement>('button, [href], input')]
      const [first, last] = [focusable[0], focusable[focusable.length - 1]]
      const inside = menuRef.current.contains(document.activeElement)
      if (e.shiftKey && (document.activeElement === first || !inside)) {
        e.preventDefault()
        last?.focus()
      } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
        e.preventDefault()
        first?.focus()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [menuOpen])
  const close = () => {
    setMenuOpen(false)
    opener.current?.focus()
  }
  const Page = PAGES[current.path]
  const loading = <PlainSkeleton rows={6} testId="page-loading" />

  return (
    <div className="phone-layout">
      <header className="phone-header" data-testid="phone-header">
        <PlainButton
          kind="text"
          ref={opener}
          icon={<Icon def={MenuOutlined} />}
          onClick={() => {
            setMenuMade(true)
            setMenuOpen(true)
          }}
          aria-label={t('nav.menu')}
          aria-expanded={menuOpen}
          data-testid="phone-menu"
        />
        <strong className="phone-title" data-testid="page-title">
          {t(`nav.${current.label}`)}
        </strong>
      </header>
      {menuMade && (
        <>
          <div className={`phone-mask${menuOpen ? ' open' : ''}`} onClick={close} aria-hidden="true" />
          <div
            className={`phone-drawer${menuOpen ? ' open' : ''}`}
            role="dialog"
            aria-modal="true"
            aria-label={t('nav.menu')}
            aria-hidden={!menuOpen}
            tabIndex={-1}
            ref={menuRef}
          >
            <div className="phone-drawer-head">
              <PlainButton
                kind="text"
                icon={<Icon def={CloseOutlined} />}
                onClick={close}
                aria-label={t('common.close')}
              />
              <strong>{t('app.name')}</strong>
            </div>
            <div className="phone-user" data-testid="current-user">
              <strong style={{ whiteSpace: 'nowrap' }}>{user.displayName}</strong>
              <PlainTag color="blue">{t(`roles.${user.role}`)}</PlainTag>
              {info.demoMode && <PlainTag color="orange">{t('settings.demoMode')}</PlainTag>}
            </div>
            <nav aria-label="main">
              <ul role="menu" className="phone-menu">
                {items.map((i) => (
                  <li key={i.path} role="none">
                    <button
                      type="button"
                      role="menuitem"
                      aria-current={i.path === current.path ? 'page' : undefined}
                      className={i.path === current.path ? 'selected' : undefined}
                      onClick={() => {
                        go(i.path)
                        close()
                      }}
                    >
                      <Icon def={i.icon} />
                      <span>{t(`nav.${i.label}`)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </nav>
            <div className="phone-menu-foot">
              <LanguageSwitch />
              <PlainButton icon={<Icon def={LogoutOutlined} />} onClick={() => void logout()} block>
                {t('nav.logout')}
              </PlainButton>
            </div>
          </div>
        </>
      )}
      {status === 'reconnecting' && <PlainAlert banner type="warning" message={t('errors.connectionLost')} />}
      {refused.length > 0 && (
        <div onClick={clearRefused}>
          <PlainAlert
            banner
            type="error"
            testId="resend-refused"
            message={t('errors.resendRefused', { n: refused.length, first: refused[0].message })}
          />
        </div>
      )}
      <SeatClockNotice />
      <main className="app-content">
        {current.path === '/visits' ? (
          <VisitsPage />
        ) : (
          <WithAnt fallback={loading}>
            <Suspense fallback={loading}>{Page && <Page />}</Suspense>
          </WithAnt>
        )}
      </main>
    </div>
  )
}
