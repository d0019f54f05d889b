import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react'
import { Alert, Button, Card, Drawer, Grid, Layout, Menu, Skeleton, Space, Tag, Typography } from 'antd'
import { LogoutOutlined, MenuOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { SystemInfo } from '../../../../shared/contract'
import { useConnectionStatus } from '../../api/ApiProvider'
import { LanguageSwitch } from '../../ui/LanguageSwitch'
import { SeatClockNotice } from '../../ui/SeatClockNotice'
import { useAuth, useCurrentUser } from '../auth/AuthProvider'
import { Workspace } from '../workspace/Workspace'
import { navFor } from './nav'
import { useHashRoute } from './use-hash-route'
import { arrivedPage, landingPath, PAGE_MODULES } from './pages'
import { useDesktopUpdates } from './use-desktop-updates'

/**
 * One component per page: the page itself when its code is here already (a preload, an earlier
 * visit), which spares the Suspense round (React holds a revealed boundary back up to 300 ms); the
 * lazy wrapper otherwise. Decided when the page mounts, so it never switches under a mounted page.
 */
const PAGES: Record<string, ComponentType> = Object.fromEntries(
  Object.entries(PAGE_MODULES).map(([path, load]) => {
    const Lazy = lazy(load)
    function Page() {
      const [Component] = useState<ComponentType>(() => arrivedPage(path) ?? Lazy)
      return <Component />
    }
    return [path, Page]
  })
)

/** While a page's code arrives: the outline of a page, not a blank screen. */
function PageLoading() {
  return (
    <Card data-testid="page-loading">
      <Skeleton active paragraph={{ rows: 6 }} />
    </Card>
  )
}

export function AppShell({ info }: { info: SystemInfo }) {
  const { t } = useTranslation()
  const user = useCurrentUser()
  const { logout } = useAuth()
  const status = useConnectionStatus()
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
  // a phone (field agents) gets its own header: the page's title, and a menu with the name, the language and logging out
  const phone = Grid.useBreakpoint().md === false
  const [menuOpen, setMenuOpen] = useState(false)
  const menu = (
    <Menu
      mode="inline"
      role="navigation"
      aria-label="main"
      selectedKeys={[current.path]}
      items={items.map((i) => ({ key: i.path, icon: i.icon, label: t(`nav.${i.label}`) }))}
      onClick={(e) => {
        go(e.key)
        setMenuOpen(false)
      }}
    />
  )
  const content = (
    <>
      {status === 'reconnecting' && <Alert banner type="warning" message={t('errors.connectionLost')} />}
      <SeatClockNotice />
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

  if (phone)
    return (
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header className="app-header app-header-phone" data-testid="phone-header">
          <Button
            type="text"
            icon={<MenuOutlined />}
            onClick={() => setMenuOpen(true)}
            aria-label={t('nav.menu')}
            data-testid="phone-menu"
          />
          <Typography.Text strong ellipsis className="phone-title" data-testid="page-title">
            {t(`nav.${current.label}`)}
          </Typography.Text>
        </Layout.Header>
        <Drawer
          placement="left"
          open={menuOpen}
          onClose={() => setMenuOpen(false)}
          width={280}
          title={t('app.name')}
          styles={{ body: { padding: 0 } }}
        >
          <div className="phone-user" data-testid="current-user">
            <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
              {user.displayName}
            </Typography.Text>
            <Tag color="blue">{t(`roles.${user.role}`)}</Tag>
            {info.demoMode && <Tag color="orange">DEMO</Tag>}
          </div>
          {menu}
          <div className="phone-menu-foot">
            <LanguageSwitch />
            <Button icon={<LogoutOutlined />} onClick={() => void logout()} block>
              {t('nav.logout')}
            </Button>
          </div>
        </Drawer>
        {content}
      </Layout>
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
            {info.demoMode && <Tag color="orange">DEMO</Tag>}
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
