import type { Settings } from '../../../shared/contract'
import { isPhoneProblem, normalisePhone } from '../../../shared/domain/phone'
import type { DomainHandlers } from '../context'
import { requireUser } from '../context'
import { AppError } from '../errors'
import type { UploadStore } from '../uploads'
import type { CallerIds } from './service'

/** 外显号码池 over the hub and IPC. */
export function createCallerIdHandlers(
  callerIds: CallerIds,
  uploads: UploadStore,
  settings: () => Settings
): DomainHandlers<'numbers'> {
  return {
    'numbers.list': () => callerIds.list(),
    'numbers.health': (input) => callerIds.history(input.id, input.days),
    'numbers.import': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const { file } = uploads.complete(input.uploadId, user.id)
      try {
        return await callerIds.importFile(file, user, ctx.conn.source, ctx.conn.locale)
      } finally {
        uploads.remove(input.uploadId)
      }
    },
    'numbers.setStatus': (input, ctx) => {
      const { user } = requireUser(ctx)
      callerIds.setStatus(input.id, input.status, input.reason ?? null, user, ctx.conn.source)
      return { ok: true as const }
    },
    'numbers.pick': (input) => {
      const p = normalisePhone(input.phone, settings().areaCode)
      if (isPhoneProblem(p)) throw new AppError('INVALID_INPUT', `importReasons.phone.${p.problem}`)
      const { number, e164, reason } = callerIds.pick(p.phone, input.campaignId)
      return { number, e164, reason }
    }
  }
}
