import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { translate } from '../../shared/i18n'
import { SYSTEM_USER } from '../core/invoke'
import { COMMANDS, fail, locale, type OpenCore } from './common'

export interface StorageOptions {
  endpoint?: string
  bucket?: string
  region?: string
  prefix?: string
  'access-key'?: string
  'secret-key'?: string
  'secret-key-file'?: string
  'path-style'?: boolean
  'seats-reach'?: boolean
  'grace-hours'?: string
  'cache-mb'?: string
}

/**
 * `leadline storage set s3|local`, `storage check`, `storage migrate`: where the hub archives
 * recordings. The secret key is sealed like the SIP passwords; `migrate` uploads the existing
 * archive with progress (on the standard error) and, stopped, goes on where it was.
 */
export async function storage(
  sub: string | undefined,
  rest: string[],
  opt: StorageOptions,
  json: boolean,
  openCore: OpenCore
): Promise<number> {
  const out = (obj: unknown) => process.stdout.write(JSON.stringify(obj) + '\n')
  if (sub !== 'set' && sub !== 'check' && sub !== 'migrate')
    return fail('errors.unknownCommand', { command: `storage ${sub ?? ''}`, commands: COMMANDS.join(', ') })
  const core = await openCore({ demo: false })
  const archive = core.recordings.archive
  try {
    if (sub === 'set') {
      const kind = rest[0]
      if (kind !== 's3' && kind !== 'local') return fail('errors.missingArgument', { name: 's3|local' })
      const old = archive.settings()
      const int = (name: 'grace-hours' | 'cache-mb', dflt: number) => {
        const v = opt[name]
        if (v === undefined) return dflt
        const n = Number(v)
        return Number.isInteger(n) && n >= 0 ? n : fail('errors.badOption', { name: `--${name}`, value: v })
      }
      let secretKey = opt['secret-key']
      if (opt['secret-key-file'] !== undefined) {
        const f = opt['secret-key-file']
        try {
          secretKey = readFileSync(f === '-' ? 0 : resolve(f), 'utf8').split(/\r?\n/)[0]
        } catch {
          return fail('errors.fileNotFound', { file: f }, 'NOT_FOUND')
        }
      } else if (secretKey !== undefined) process.stderr.write(`${translate(locale, 'errors.passwordOnCommandLine')}\n`)
      const s3 = kind === 's3'
      const status = await archive.set(
        {
          kind,
          endpoint: s3 ? (opt.endpoint ?? fail('errors.missingArgument', { name: '--endpoint' })) : old.endpoint,
          bucket: s3 ? (opt.bucket ?? fail('errors.missingArgument', { name: '--bucket' })) : old.bucket,
          region: opt.region ?? old.region,
          prefix: opt.prefix ?? (s3 ? '' : old.prefix),
          pathStyle: s3 ? !!opt['path-style'] : old.pathStyle,
          accessKey: s3
            ? (opt['access-key'] ?? fail('errors.missingArgument', { name: '--access-key' }))
            : old.accessKey,
          secretKey,
          seatsReach: s3 ? !!opt['seats-reach'] : false,
          graceHours: int('grace-hours', old.graceHours),
          cacheMb: int('cache-mb', old.cacheMb)
        },
        SYSTEM_USER,
        'cli',
        locale
      )
      if (json) out(status)
      else
        console.log(
          status.kind === 's3'
            ? `s3 ${status.endpoint} ${status.bucket}${status.prefix ? `/${status.prefix}` : ''}${status.objectLock ? ' (Object Lock)' : ''}: ${status.localOnly} recordings to upload`
            : 'local'
        )
      return 0
    }
    if (sub === 'check') {
      const c = await archive.check()
      const status = archive.status()
      if (json) out({ ...c, kind: status.kind, failing: status.failing, lastError: status.lastError })
      else {
        if (status.kind === 'local') console.log('local')
        for (const s of c.steps) console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.step}\t${s.detail}`)
        console.log(`localOnly ${c.localOnly}`)
      }
      return c.ok ? 0 : 1
    }
    let last = 0
    const r = await archive.migrate((done, total, failed) => {
      // for a person a line a second at most, and the last one; for a program (--json) every batch
      if (!json && Date.now() - last < 1000 && done < total) return
      last = Date.now()
      const pct = total ? Math.floor((done / total) * 100) : 100
      process.stderr.write(
        json
          ? `${JSON.stringify({ progress: { done, total, failed } })}\n`
          : `migrate: ${done}/${total} (${pct}%)${failed ? `, ${failed} failed` : ''}\n`
      )
    })
    const localOnly = archive.status().localOnly
    if (json) out({ ...r, localOnly })
    else console.log(`${r.uploaded} uploaded, ${r.failed} failed; ${localOnly} not in the store`)
    return r.failed ? 1 : 0
  } finally {
    core.close()
  }
}
