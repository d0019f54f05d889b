import { resolve } from 'node:path'
import { isPhoneProblem, normalisePhone } from '../../shared/domain/phone'
import { AppError } from '../core/errors'
import { SYSTEM_USER } from '../core/invoke'
import { COMMANDS, fail, type OpenCore } from './common'

/**
 * `leadline privacy export|erase` and `leadline retention run`: the privacy officer's scripts, acting
 * as the system (audited, without the number). An erasure prints its proof; a retention run what it
 * removed (or, with --dry-run, would remove).
 */
export async function privacy(
  cmd: 'privacy' | 'retention',
  sub: string | undefined,
  opt: { phone?: string; out?: string; reason?: string; 'dry-run'?: boolean },
  json: boolean,
  openCore: OpenCore
): Promise<number> {
  const out = (obj: unknown) => process.stdout.write(JSON.stringify(obj) + '\n')
  const known = cmd === 'privacy' ? ['export', 'erase'] : ['run']
  if (!sub || !known.includes(sub))
    return fail('errors.unknownCommand', { command: `${cmd} ${sub ?? ''}`, commands: COMMANDS.join(', ') })
  const core = await openCore({ demo: false })
  try {
    if (cmd === 'retention') {
      const r = core.retention.run(!!opt['dry-run'], 'cli')
      if (json) out(r)
      else
        for (const [k, v] of Object.entries(r.removed))
          console.log(`${r.dryRun ? 'would remove' : 'removed'}\t${k}\t${v}`)
      return 0
    }
    const raw = opt.phone ?? fail('errors.missingArgument', { name: '--phone' })
    const p = normalisePhone(raw, core.settings().areaCode)
    if (isPhoneProblem(p)) throw new AppError('INVALID_INPUT', `importReasons.phone.${p.problem}`)
    const phone = p.phone
    if (sub === 'export') {
      const file = resolve(opt.out ?? fail('errors.missingArgument', { name: '--out' }))
      const r = await core.privacy.exportTo(phone, file, SYSTEM_USER, 'cli')
      if (json) out({ file, ...r })
      else console.log(`${file}: ${r.leads} leads, ${r.calls} calls, ${r.recordings} recordings`)
      return 0
    }
    const reason = opt.reason ?? fail('errors.missingArgument', { name: '--reason' })
    const r = core.privacy.erase(phone, reason, SYSTEM_USER, 'cli')
    if (json) out(r)
    else
      console.log(
        `erased (proof #${r.proofId}, ${r.phoneHash}): ${r.removed.leads} leads, ${r.removed.calls} calls, ${r.removed.recordings} recordings; kept ${r.kept.signedSales} signed, ${r.kept.openCases} open`
      )
    return 0
  } finally {
    core.close()
  }
}
