import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { contract, type DncEntry } from '../../shared/contract'
import { DNC_CHANNELS, DNC_SCOPES, DNC_SOURCES } from '../../shared/contract/enums'
import { AppError } from '../core/errors'
import { COMMANDS, fail, locale, unwrap, type OpenCore } from './common'

/** `--scope all | campaign:ID-or-name | insurer:NAME` as the list takes it. */
function scopeOf(s: string | undefined): { scope: (typeof DNC_SCOPES)[number]; scopeRef: string } {
  if (!s || s === 'all') return { scope: 'all', scopeRef: '' }
  const i = s.indexOf(':')
  const scope = (i < 0 ? s : s.slice(0, i)) as (typeof DNC_SCOPES)[number]
  if (!DNC_SCOPES.includes(scope) || i < 0) fail('errors.badOption', { name: '--scope', value: s })
  return { scope, scopeRef: s.slice(i + 1) }
}

function oneOf<T extends string>(list: readonly T[], name: string, v: string | undefined, dflt: T): T {
  if (v === undefined) return dflt
  if (!list.includes(v as T)) fail('errors.badOption', { name, value: `${v} (${list.join('|')})` })
  return v as T
}

/**
 * `leadline dnc import|check`: a compliance officer's scripts. An import is all or nothing with one
 * source, scope and length; a check says whether a number may be called (or sent an SMS) in a
 * campaign now, and which entry stops it.
 */
export async function dnc(
  sub: string | undefined,
  rest: string[],
  opt: {
    source?: string
    scope?: string
    channel?: string
    reason?: string
    days?: string
    'effective-on'?: string
    phone?: string
    campaign?: string
    encoding?: string
    sheet?: string
  },
  json: boolean,
  openCore: OpenCore
): Promise<number> {
  const out = (obj: unknown) => process.stdout.write(JSON.stringify(obj) + '\n')
  if (sub !== 'import' && sub !== 'check')
    return fail('errors.unknownCommand', { command: `dnc ${sub ?? ''}`, commands: COMMANDS.join(', ') })
  const core = await openCore({ demo: false })
  try {
    const sys = core.connectSystem('cli', locale)
    const campaignId = async (ref: string) => {
      const all = unwrap<{ id: number; name: string }[]>(await sys.invoke('campaigns.list', {}))
      const c = all.find((x) => String(x.id) === ref || x.name === ref)
      return c ? c.id : fail('errors.campaignNotFound', { ref }, 'NOT_FOUND')
    }
    if (sub === 'import') {
      const file = rest[0] ?? fail('errors.missingArgument', { name: 'FILE' })
      if (!existsSync(resolve(file))) throw new AppError('NOT_FOUND', 'errors.fileNotFound', { file })
      const source = oneOf(DNC_SOURCES, '--source', opt.source, 'external_list')
      const where = scopeOf(opt.scope)
      if (where.scope === 'campaign') where.scopeRef = String(await campaignId(where.scopeRef))
      const days = opt.days === undefined ? undefined : opt.days === 'forever' ? null : Number(opt.days)
      const parsed = contract['dnc.import'].input.omit({ uploadId: true }).safeParse({
        source,
        reason: opt.reason ?? source,
        ...where,
        channel: oneOf(DNC_CHANNELS, '--channel', opt.channel, 'all'),
        ...(opt['effective-on'] ? { effectiveOn: opt['effective-on'] } : {}),
        ...(days !== undefined ? { days } : {}),
        ...(opt.encoding ? { encoding: opt.encoding } : {}),
        ...(opt.sheet ? { sheet: opt.sheet } : {})
      })
      if (!parsed.success)
        fail('errors.badOption', {
          name: String(parsed.error.issues[0]?.path[0] ?? ''),
          value: parsed.error.issues[0]?.message ?? ''
        })
      const started = Date.now()
      const r = await core.dncImport(resolve(file), parsed.data, 'cli')
      const seconds = (Date.now() - started) / 1000
      if (json) out({ ...r, seconds })
      else
        console.log(
          `${r.added} added, ${r.invalid} invalid of ${r.rows} rows; ${r.leadsStopped} leads stopped (${seconds.toFixed(1)} s)`
        )
      return 0
    }
    const phone = opt.phone ?? fail('errors.missingArgument', { name: '--phone' })
    const r = unwrap<{ blocked: boolean; entry: DncEntry | null }>(
      await sys.invoke('dnc.check', {
        phone,
        ...(opt.campaign ? { campaignId: await campaignId(opt.campaign) } : {}),
        channel: opt.channel === 'sms' ? 'sms' : 'call'
      })
    )
    if (json) out(r)
    else
      console.log(
        r.entry
          ? `blocked\t${r.entry.source}\t${r.entry.scope}${r.entry.scopeRef ? `:${r.entry.scopeRef}` : ''}\t${r.entry.channel}\t${r.entry.expiresAt ?? 'permanent'}\t${r.entry.reason}`
          : 'allowed'
      )
    return 0
  } finally {
    core.close()
  }
}
