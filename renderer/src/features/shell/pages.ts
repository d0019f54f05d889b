import type { ComponentType } from 'react'
import { arrivedLazy } from '../../ui/arrived-lazy'
import type { Input, MethodName, Role } from '../../../../shared/contract'
import { navFor } from './nav'

/** Each page is its own chunk, loaded when first opened: a field agent's phone never downloads the desk, QA or the reports. */
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  arrivedLazy(() => load().then((m) => m[name]))

const PAGE_CODE: Record<string, ReturnType<typeof page>> = {
  '/recordings': page(() => import('../qa/RecordingsPage'), 'RecordingsPage'),
  '/review-queue': page(() => import('../qa/ReviewQueuePage'), 'ReviewQueuePage'),
  '/my-reviews': page(() => import('../qa/MyReviewsPage'), 'MyReviewsPage'),
  '/qa-appeals': page(() => import('../qa/AppealsPage'), 'AppealsPage'),
  '/district-dispatch': page(() => import('../dispatch/DistrictDispatchPage'), 'DistrictDispatchPage'),
  '/dispatch': page(() => import('../dispatch/DispatchBoardPage'), 'DispatchBoardPage'),
  '/visits': page(() => import('../dispatch/VisitsPage'), 'VisitsPage'),
  '/follow-ups': page(() => import('../dispatch/FollowUpsPage'), 'FollowUpsPage'),
  '/complaints': page(() => import('../complaints/ComplaintsPage'), 'ComplaintsPage'),
  '/numbers': page(() => import('../numbers/NumbersPage'), 'NumbersPage'),
  '/sms': page(() => import('../sms/SmsPage'), 'SmsPage'),
  '/integrations': page(() => import('../integrations/IntegrationsPage'), 'IntegrationsPage'),
  '/privacy': page(() => import('../privacy/PrivacyPage'), 'PrivacyPage'),
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

/** A method that takes no input: a page's first query, keyed by the method's name alone as the pages key it. */
export type FirstQuery = { [M in MethodName]: Record<string, never> extends Input<M> ? M : never }[MethodName]

/** What a landing page asks for first, fetched with the login so that the page opens with its data. */
const FIRST_QUERIES: Partial<Record<string, readonly FirstQuery[]>> = {
  '/desk': ['sip.myAccount', 'settings.get', 'campaigns.list', 'desk.today'],
  '/visits': ['dispatch.myVisits']
}

/** The page this seat landed on last (per browser): the one to fetch while its login page shows. */
const LAST_LANDING_KEY = 'leadline.landing'

const hashPath = () => window.location.hash.replace(/^#/, '').split('?')[0] || '/'

/** Starts fetching the page a user is about to land on and its first data, while the shell around it renders. */
export function preloadLanding(role: Role, prefetch: (method: FirstQuery) => void): void {
  const path = landingPath(role, hashPath())
  localStorage.setItem(LAST_LANDING_KEY, path)
  void PAGE_MODULES[path]?.().catch(() => {})
  FIRST_QUERIES[path]?.forEach(prefetch)
}

/**
 * Before the login: the page this seat landed on last time, or the desk on a seat that has none yet
 * (most of a centre's desktops are operators'), so that the first call does not wait for its code.
 */
export function preloadLikelyLanding(): void {
  const path = localStorage.getItem(LAST_LANDING_KEY) ?? '/desk'
  void PAGE_MODULES[path]?.().catch(() => {})
}

/** Starts fetching a page's code (a preload). */
export const PAGE_MODULES: Record<string, () => Promise<ComponentType>> = Object.fromEntries(
  Object.entries(PAGE_CODE).map(([path, p]) => [path, p.load])
)

/** One component per page: the page itself once its code is here, lazy until then (ui/arrived-lazy.ts). */
export const PAGES: Record<string, ComponentType> = Object.fromEntries(
  Object.entries(PAGE_CODE).map(([path, p]) => [path, p.Component])
)
