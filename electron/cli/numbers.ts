import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { isPhoneProblem, normalisePhone } from '../../shared/domain/phone'
import { AppError } from '../core/errors'
import { SYSTEM_USER } from '../core/invoke'
import { COMMANDS, fail, locale, type OpenCore } from './common'

/**
 * `leadline numbers import|list|pick`: the caller-ID pool (外显号码池) from the shell. `pick` says which
 * number a call to a customer would show and why, without using it up.
 */
export async function numbers(
  sub: string | undefined,
  rest: string[],
  opt: { phone?: string; campaign?: string },
  json: boolean,
  openCore: OpenCore
): Promise<number> {
  const out = (obj: unknown) => process.stdout.write(JSON.stringify(obj) + '\n')
  if (sub !== 'import' && sub !== 'list' && sub !== 'pick')
    return fail('errors.unknownCommand', { command: `numbers ${sub ?? ''}`, commands: COMMANDS.join(', ') })
  const core = await openCore({ demo: false })
  try {
    if (sub === 'import') {
      const file = rest[0] ?? fail('errors.missingArgument', { name: 'FILE' })
      if (!existsSync(resolve(file))) throw new AppError('NOT_FOUND', 'errors.fileNotFound', { file })
      const r = await core.callerIds.importFile(resolve(file), SYSTEM_USER, 'cli', locale)
      if (json) out(r)
      else console.log(`${r.rows} numbers (${r.added} new, ${r.updated} updated; ${r.mismatches} carrier mismatches)`)
      return 0
    }
    if (sub === 'list') {
      const list = core.callerIds.list()
      if (json) out({ numbers: list })
      else
        for (const n of list)
          console.log(`${n.e164}\t${n.region}\t${n.carrier}\t${n.line}\t${n.status}\t${n.callsToday}/${n.dailyCap}`)
      return 0
    }
    const raw = opt.phone ?? fail('errors.missingArgument', { name: '--phone' })
    const p = normalisePhone(raw, core.settings().areaCode)
    if (isPhoneProblem(p)) throw new AppError('INVALID_INPUT', `importReasons.phone.${p.problem}`)
    const ref = opt.campaign ?? '1'
    const campaignId = core.callerIds.repo.campaignId(ref) ?? fail('errors.campaignNotFound', { ref }, 'NOT_FOUND')
    const { number, e164, reason } = core.callerIds.pick(p.phone, campaignId)
    if (json) out({ number: e164, digits: number, reason })
    else console.log(`${e164 ?? '—'}\t${reason}`)
    return 0
  } finally {
    core.close()
  }
}
