import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { DncEntry, Output, ParsedInput, Settings, User } from '../../../shared/contract'
import type { CoreDeps, DomainHandlers } from '../context'
import { requireUser } from '../context'
import type { DownloadStore } from '../downloads'
import { AppError } from '../errors'
import { canSeeNumbers, phoneFor } from '../privacy'
import type { UploadStore } from '../uploads'
import type { DncService } from './service'

/** Who wrote an entry: a user, or nobody for the command line's system actor. */
export const actor = (u: User): number | null => (u.id > 0 ? u.id : null)

/** A whole list onto the do-not-call list from a file, audited: the hub's upload and the command line. */
export async function importDncList(
  deps: CoreDeps,
  dnc: DncService,
  file: string,
  fileName: string,
  input: Omit<ParsedInput<'dnc.import'>, 'uploadId'>,
  user: User,
  source: string
): Promise<Output<'dnc.import'>> {
  const where = dnc.where(input.scope, input.scopeRef, input.channel)
  const r = await dnc.importFile(
    file,
    fileName,
    { source: input.source, reason: input.reason, where, effectiveOn: input.effectiveOn, days: input.days },
    actor(user),
    { encoding: input.encoding, sheet: input.sheet }
  )
  deps.audit.write({
    userId: user.id,
    username: user.username,
    action: 'dnc.import',
    entity: 'dnc',
    details: { fileName, source: input.source, ...where, ...r },
    source
  })
  deps.events.emit('leads.changed', { reason: 'dnc' })
  return r
}

/** 免打扰名单 over the hub and IPC: every change audited, numbers shown as the reader may see them. */
export function createDncHandlers(
  deps: CoreDeps,
  dnc: DncService,
  uploads: UploadStore,
  downloads: DownloadStore,
  settings: () => Settings
): DomainHandlers<'dnc'> {
  const { audit, events } = deps
  // an erased customer's entry keeps the number's keyed hash only: nobody sees it as a number
  const shown = (e: DncEntry, user: User): DncEntry => ({
    ...e,
    phone: e.phone.startsWith('h:') ? '—' : phoneFor(e.phone, user.role, settings())
  })
  const changed = () => events.emit('leads.changed', { reason: 'dnc' })
  return {
    'dnc.list': (input, ctx) => {
      const { user } = requireUser(ctx)
      const clear = canSeeNumbers(user.role, settings())
      const digits = input.q ? input.q.replace(/\D/g, '') : ''
      // a role that sees numbers masked finds an entry by its whole number only (no guessing digits)
      if (!clear && digits && digits.length < 7) return []
      return dnc.list.list(digits, input.limit, !clear, input.withRemoved).map((e) => shown(e, user))
    },
    'dnc.add': (input, ctx) => {
      const { user } = requireUser(ctx)
      const phone = dnc.phone(input.phone)
      const where = dnc.where(input.scope, input.scopeRef, input.channel)
      const expiresAt = deps.db
        .transaction(() => {
          const e = dnc.put(
            phone,
            { source: input.source, reason: input.reason, where, effectiveOn: input.effectiveOn, days: input.days },
            actor(user)
          )
          audit.write({
            userId: user.id,
            username: user.username,
            action: 'dnc.add',
            entity: 'dnc',
            entityId: phone,
            details: { source: input.source, reason: input.reason, ...where, expiresAt: e },
            source: ctx.conn.source
          })
          return e
        })
        .immediate()
      changed()
      return { phone: phoneFor(phone, user.role, settings()), expiresAt }
    },
    'dnc.import': async (input, ctx) => {
      const { user } = requireUser(ctx)
      const { file, name } = uploads.complete(input.uploadId, user.id)
      try {
        return await importDncList(deps, dnc, file, name, input, user, ctx.conn.source)
      } finally {
        uploads.remove(input.uploadId)
      }
    },
    'dnc.remove': (input, ctx) => {
      const { user } = requireUser(ctx)
      const phone = dnc.phone(input.phone)
      const where = input.scope ? dnc.where(input.scope, input.scopeRef ?? '', input.channel ?? 'all') : null
      deps.db
        .transaction(() => {
          const n = dnc.remove(phone, where, input.reason, user)
          audit.write({
            userId: user.id,
            username: user.username,
            action: 'dnc.remove',
            entity: 'dnc',
            entityId: phone,
            details: { reason: input.reason, entries: n, ...(where ?? {}) },
            source: ctx.conn.source
          })
        })
        .immediate()
      changed()
      return { ok: true as const }
    },
    'dnc.check': (input, ctx) => {
      const { user } = requireUser(ctx)
      const entry = dnc.check(dnc.phone(input.phone), { campaignId: input.campaignId ?? null, channel: input.channel })
      return { blocked: entry !== null, entry: entry ? shown(entry, user) : null }
    },
    'dnc.export': async (_input, ctx) => {
      const { user } = requireUser(ctx)
      // the file holds whole numbers: only for a role that sees them
      if (!canSeeNumbers(user.role, settings())) throw new AppError('FORBIDDEN')
      const dir = join(deps.dataDir, 'exports')
      mkdirSync(dir, { recursive: true })
      const { file, name } = dnc.exportFileName(dir)
      const rows = await dnc.exportCsv(file)
      audit.write({
        userId: user.id,
        username: user.username,
        action: 'dnc.export',
        entity: 'dnc',
        details: { rows },
        source: ctx.conn.source
      })
      const token = downloads.offer({
        file,
        name,
        contentType: 'text/csv',
        deleteAfter: true,
        userId: user.id,
        sessionId: ctx.sessionId
      })
      return { token, fileName: name, rows }
    }
  }
}
