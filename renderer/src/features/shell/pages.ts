import type { ComponentType } from 'react'
import type { Role } from '../../../../shared/contract'
import { navFor } from './nav'

/** Each page is its own chunk, loaded when first opened: a field agent's phone never downloads the desk, QA or the reports. */
type PageModule = () => Promise<{ default: ComponentType }>
/** Pages whose code has arrived (a preload, or an earlier visit), to render without suspending. */
const arrived = new Map<PageModule, ComponentType>()
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): PageModule => {
  const module: PageModule = () =>
    load().then((m) => {
      arrived.set(module, m[name])
      return { default: m[name] }
    })
  return module
}

/** The page's component if its code is here already. */
export function arrivedPage(path: string): ComponentType | undefined {
  const module = PAGE_MODULES[path]
  return module && arrived.get(module)
}

export const PAGE_MODULES: Record<string, PageModule> = {
  '/recordings': page(() => import('../qa/RecordingsPage'), 'RecordingsPage'),
  '/review-queue': page(() => import('../qa/ReviewQueuePage'), 'ReviewQueuePage'),
  '/my-reviews': page(() => import('../qa/MyReviewsPage'), 'MyReviewsPage'),
  '/qa-appeals': page(() => import('../qa/AppealsPage'), 'AppealsPage'),
  '/district-dispatch': page(() => import('../dispatch/DistrictDispatchPage'), 'DistrictDispatchPage'),
  '/dispatch': page(() => import('../dispatch/DispatchBoardPage'), 'DispatchBoardPage'),
  '/visits': page(() => import('../dispatch/VisitsPage'), 'VisitsPage'),
  '/follow-ups': page(() => import('../dispatch/FollowUpsPage'), 'FollowUpsPage'),
  '/agents': page(() => import('../dispatch/TeamPage'), 'TeamPage'),
  '/reports': page(() => import('../reports/ReportsPage'), 'ReportsPage'),
  '/settings': page(() => import('../settings/SettingsPage'), 'SettingsPage'),
  '/about': page(() => import('../about/AboutPage'), 'AboutPage'),
  '/users': page(() => import('../users/UsersPage'), 'UsersPage'),
  '/audit': page(() => import('../audit/AuditPage'), 'AuditPage'),
  '/system': page(() => import('../settings/SystemSettingsPage'), 'SystemSettingsPage'),
  '/import': page(() => import('../leads/ImportPage'), 'ImportPage'),
  '/pool': page(() => import('../leads/PoolPage'), 'PoolPage'),
  '/allocation': page(() => import('../leads/AllocationPage'), 'AllocationPage'),
  '/my-leads': page(() => import('../leads/MyLeadsPage'), 'MyLeadsPage'),
  '/desk': page(() => import('../desk/DeskPage'), 'DeskPage'),
  '/callbacks': page(() => import('../desk/CallbacksPage'), 'CallbacksPage'),
  '/campaigns': page(() => import('../campaigns/CampaignsPage'), 'CampaignsPage'),
  '/wallboard': page(() => import('../wallboard/WallboardPage'), 'WallboardPage')
}

/** The page the address names if the role has it, else the role's first page (what the shell shows). */
export function landingPath(role: Role, path: string): string {
  const items = navFor(role)
  return (items.find((i) => i.path === path) ?? items[0]).path
}

/** Starts fetching the page a user is about to land on, while the shell around it renders. */
export function preloadLanding(role: Role): void {
  const path = window.location.hash.replace(/^#/, '').split('?')[0] || '/'
  void PAGE_MODULES[landingPath(role, path)]?.().catch(() => {})
}
