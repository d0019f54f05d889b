import type { Settings } from '../../shared/contract'
import { createCallerIdHandlers } from './caller-id/handlers'
import type { CallerIds } from './caller-id/service'
import { createComplaintsHandlers } from './complaints/handlers'
import type { ComplaintsService } from './complaints/service'
import type { CoreDeps } from './context'
import type { DncService } from './dnc/service'
import { defineDomain } from './domain'
import type { DownloadStore } from './downloads'
import { createPrivacyHandlers } from './personal-data/handlers'
import type { RetentionService } from './personal-data/retention'
import type { PrivacyService } from './personal-data/service'
import type { UploadStore } from './uploads'

/** 投诉, 外显号码 and 个人信息: their methods and their timers. */
export function complianceDomains(
  deps: CoreDeps,
  s: {
    complaints: ComplaintsService
    callerIds: CallerIds
    privacy: PrivacyService
    retention: RetentionService
    dnc: DncService
    uploads: UploadStore
    downloads: DownloadStore
    settings: () => Settings
  }
) {
  return [
    defineDomain({ name: 'complaints', handlers: createComplaintsHandlers(s.complaints) }),
    defineDomain({
      name: 'numbers',
      handlers: createCallerIdHandlers(s.callerIds, s.uploads, s.settings),
      // number health: a number nobody answers any more is taken out of use
      jobs: [{ name: 'caller number health', everyMs: 10 * 60_000, run: () => s.callerIds.checkHealth() }]
    }),
    defineDomain({
      name: 'privacy',
      handlers: createPrivacyHandlers(deps, s.privacy, s.retention, s.dnc, s.downloads),
      // 保留期限: once a day, the first tick of the centre's day
      jobs: [{ name: 'retention', everyMs: 60 * 60_000, run: () => s.retention.daily() }]
    })
  ] as const
}
