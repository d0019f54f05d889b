import { API_SCOPES, type ApiScope } from '../../shared/contract'
import { SYSTEM_USER } from '../core/invoke'
import { COMMANDS, fail, type OpenCore } from './common'

/**
 * `leadline apikey create|list|revoke`: the integration API's keys from the shell. `create` prints the
 * key once (`--json`: `{ "key" }`); only its hash is kept.
 */
export async function apikey(
  sub: string | undefined,
  rest: string[],
  opt: { name?: string[]; scopes?: string; campaign?: string; days?: string },
  json: boolean,
  openCore: OpenCore
): Promise<number> {
  const out = (obj: unknown) => process.stdout.write(JSON.stringify(obj) + '\n')
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke')
    return fail('errors.unknownCommand', { command: `apikey ${sub ?? ''}`, commands: COMMANDS.join(', ') })
  const core = await openCore({ demo: false })
  try {
    if (sub === 'create') {
      const name = opt.name?.[0] ?? fail('errors.missingArgument', { name: '--name' })
      const scopes = (opt.scopes ?? fail('errors.missingArgument', { name: '--scopes' }))
        .split(',')
        .map((x) => x.trim())
      for (const s of scopes)
        if (!(API_SCOPES as readonly string[]).includes(s))
          return fail('errors.badOption', { name: '--scopes', value: `${s} (${API_SCOPES.join(', ')})` })
      let campaignId: number | null = null
      if (opt.campaign) {
        const found = core.callerIds.repo.campaignId(opt.campaign)
        campaignId = found ?? fail('errors.campaignNotFound', { ref: opt.campaign }, 'NOT_FOUND')
      }
      const days = opt.days ? Number(opt.days) : null
      if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= 3650))
        return fail('errors.badOption', { name: '--days', value: opt.days ?? '' })
      const r = core.api.createKey(SYSTEM_USER, { name, scopes: scopes as ApiScope[], campaignId, days }, 'cli')
      if (json) out({ key: r.key, apiKey: r.apiKey })
      else console.log(r.key)
      return 0
    }
    if (sub === 'list') {
      const keys = core.api.listKeys()
      if (json) out({ keys })
      else
        for (const k of keys)
          console.log(
            `${k.id}\tll_${k.prefix}_…\t${k.name}\t${k.scopes.join(',')}\t${k.revokedAt ? 'revoked' : (k.expiresAt ?? '')}`
          )
      return 0
    }
    const ref = rest[0] ?? fail('errors.missingArgument', { name: 'ID|KEY' })
    core.api.revokeKey(SYSTEM_USER, /^\d+$/.test(ref) ? Number(ref) : ref, 'cli')
    if (json) out({ ok: true })
    return 0
  } finally {
    core.close()
  }
}
