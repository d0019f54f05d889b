import { useState, type ComponentType } from 'react'
import { Alert, Button, Drawer, Grid, Layout, Menu, Space, Tag, Typography } from 'antd'
import { LogoutOutlined, MenuOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { SystemInfo } from '../../../../shared/contract'
import { useConnectionStatus } from '../../api/ApiProvider'
import { LanguageSwitch } from '../../ui/LanguageSwitch'
import { SeatClockNotice } from '../../ui/SeatClockNotice'
import { useAuth, useCurrentUser } from '../auth/AuthProvider'
import { AboutPage } from '../about/AboutPage'
import { AuditPage } from '../audit/AuditPage'
import { SettingsPage } from '../settings/SettingsPage'
import { SystemSettingsPage } from '../settings/SystemSettingsPage'
import { UsersPage } from '../users/UsersPage'
import { Workspace } from '../workspace/Workspace'
import { ImportPage } from '../leads/ImportPage'
import { PoolPage } from '../leads/PoolPage'
import { AllocationPage } from '../leads/AllocationPage'
import { MyLeadsPage } from '../leads/MyLeadsPage'
import { DeskPage } from '../desk/DeskPage'
import { CallbacksPage } from '../desk/CallbacksPage'
import { CampaignsPage } from '../campaigns/CampaignsPage'
import { WallboardPage } from '../wallboard/WallboardPage'
import { RecordingsPage } from '../qa/RecordingsPage'
import { ReviewQueuePage } from '../qa/ReviewQueuePage'
import { MyReviewsPage } from '../qa/MyReviewsPage'
import { AppealsPage } from '../qa/AppealsPage'
import { DistrictDispatchPage } from '../dispatch/DistrictDispatchPage'
import { DispatchBoardPage } from '../dispatch/DispatchBoardPage'
import { VisitsPage } from '../dispatch/VisitsPage'
import { FollowUpsPage } from '../dispatch/FollowUpsPage'
import { TeamPage } from '../dispatch/TeamPage'
import { ReportsPage } from '../reports/ReportsPage'
import { navFor } from './nav'
import { useHashRoute } from './use-hash-route'

const PAGES: Record<string, ComponentType> = {
  '/recordings': RecordingsPage,
  '/review-queue': ReviewQueuePage,
  '/my-reviews': MyReviewsPage,
  '/qa-appeals': AppealsPage,
  '/district-dispatch': DistrictDispatchPage,
  '/dispatch': DispatchBoardPage,
  '/visits': VisitsPage,
  '/follow-ups': FollowUpsPage,
  '/agents': TeamPage,
  '/reports': ReportsPage,
  '/settings': SettingsPage,
  '/about': AboutPage,
  '/users': UsersPage,
  '/audit': AuditPage,
  '/system': SystemSettingsPage,
  '/import': ImportPage,
  '/pool': PoolPage,
  '/allocation': AllocationPage,
  '/my-leads': MyLeadsPage,
  '/desk': DeskPage,
  '/callbacks': CallbacksPage,
  '/campaigns': CampaignsPage,
  '/wallboard': WallboardPage
}

export function AppShell({ info }: { info: SystemInfo }) {
  const { t } = useTranslation()
  const user = useCurrentUser()
  const { logout } = useAuth()
  const status = useConnectionStatus()
  const items = navFor(user.role)
  const [path, go] = useHashRoute()
  const current = items.find((i) => i.path === path) ?? items[0]
  const Page = PAGES[current.path]
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
        {Page ? <Page /> : <Workspace title={t(`nav.${current.label}`)} />}
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
