import { Suspense, useEffect } from 'react'
import { Alert, Button, Card, Layout, Menu, Skeleton, Space, Tag, Typography } from 'antd'
import { LogoutOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { SystemInfo } from '../../../../shared/contract'
import { useConnectionStatus, useResendRefused } from '../../api/ApiProvider'
import { LanguageSwitch } from '../../ui/LanguageSwitch'
import { SeatClockNotice } from '../../ui/SeatClockNotice'
import { NumberAlerts } from '../../ui/NumberAlerts'
import { useAuth, useCurrentUser } from '../auth/AuthProvider'
import { Workspace } from '../workspace/Workspace'
import { navFor } from './nav'
import { useHashRoute } from './use-hash-route'
import { landingPath, PAGE_MODULES, PAGES } from './pages'
import { AntRoot } from './AntRoot'
import { Icon } from '../../ui/Icon'
import { useDesktopUpdates } from './use-desktop-updates'

/** While a page's code arrives: the outline of a page, not a blank screen. */
function PageLoading() {
  return (
    <Card data-testid="page-loading">
      <Skeleton active paragraph={{ rows: 6 }} />
    </Card>
  )
}

/** The shell of a desktop-sized screen (a phone's is PhoneShell), with Ant Design around it. */
export function DesktopShell({ info }: { info: SystemInfo }) {
  return (
    <AntRoot>
      <AppShell info={info} />
    </AntRoot>
  )
}

function AppShell({ info }: { info: SystemInfo }) {
  const { t } = useTranslation()
  const user = useCurrentUser()
  const { logout } = useAuth()
  const status = useConnectionStatus()
  const [refused, clearRefused] = useResendRefused()
  const items = navFor(user.role)
  const [path, go] = useHashRoute()
  useDesktopUpdates()
  const current = items.find((i) => i.path === landingPath(user.role, path))!
  const Page = PAGES[current.path]
  // an operator's first call must not wait for the desk's code: it is fetched right after login
  useEffect(() => {
    if (user.role !== 'operator') return
    const t = setTimeout(() => void PAGE_MODULES['/desk']().catch(() => {}), 0)
    return () => clearTimeout(t)
  }, [user.role])
  const menu = (
    <Menu
      mode="inline"
      role="navigation"
      aria-label="main"
      selectedKeys={[current.path]}
      items={items.map((i) => ({ key: i.path, icon: <Icon def={i.icon} />, label: t(`nav.${i.label}`) }))}
      onClick={(e) => go(e.key)}
    />
  )
  const content = (
    <>
      {status === 'reconnecting' && <Alert banner type="warning" message={t('errors.connectionLost')} />}
      {refused.length > 0 && (
        <Alert
          banner
          closable
          type="error"
          data-testid="resend-refused"
          onClose={clearRefused}
          message={t('errors.resendRefused', { n: refused.length, first: refused[0].message })}
        />
      )}
      <SeatClockNotice />
      {(user.role === 'admin' || user.role === 'supervisor') && <NumberAlerts />}
      <Layout.Content className="app-content">
        {Page ? (
          <Suspense fallback={<PageLoading />}>
            <Page />
          </Suspense>
        ) : (
          <Workspace title={t(`nav.${current.label}`)} />
        )}
      </Layout.Content>
    </>
  )

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} theme="light">
        <div className="brand">{t('app.name')}</div>
        {menu}
      </Layout.Sider>
      <Layout>
        <Layout.Header className="app-header">
          <Typography.Text strong>{t(`nav.${current.label}`)}</Typography.Text>
          <Space size="middle">
            {info.demoMode && <Tag color="orange">{t('settings.demoMode')}</Tag>}
            <span data-testid="current-user">
              {user.displayName} <Tag color="blue">{t(`roles.${user.role}`)}</Tag>
            </span>
            <LanguageSwitch />
            <Button icon={<LogoutOutlined />} onClick={() => void logout()}>
              {t('nav.logout')}
            </Button>
          </Space>
        </Layout.Header>
        {content}
      </Layout>
    </Layout>
  )
}
