import { homedir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { ROLES } from '../../shared/contract'
import { ShiftedClock, createCore, stderrLogger } from '../core'
import { AppError } from '../core/errors'
import { restoreDatabase } from '../core/db/backup'
import { fullRestore, isBackupSet } from '../core/backup/full'
import { dataDirOwner } from '../core/db/lock'
import { DB_FILE_NAME } from '../core'
import { COMMANDS, fail, generatePassword, locale, report, unwrap } from './common'
import { translate } from '../../shared/i18n'
import { serve } from './serve'
import { sip } from './sip'
import { dnc } from './dnc'
import { privacy } from './privacy'
import { numbers } from './numbers'
import { apikey } from './apikey'
import { storage } from './storage'
import { hubCa } from '../server/tls'
import { diagnose } from '../core/system/diagnose'
import { publishUpdates, signRelease } from '../core/system/updates'
import { newSigningKeys } from '../core/system/update-signing'

declare const __APP_VERSION__: string

/**
 * `leadline <command>`: the administrator's tool. Every command takes `--data DIR` and `--json`
 * (one JSON object on stdout; errors as {"error":{"code","message"}} with a non-zero exit).
 */

const HELP = `LeadLine ${typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : ''} — administration

  leadline serve [--host 127.0.0.1] [--port 7300] [--no-demo]   run the team hub (demo data on 127.0.0.1 only, unless --demo)
        [--tls] [--name hub.lan]... [--tls-cert FILE --tls-key FILE] [--insecure-http]
        [--replicate file:///DIR|s3://BUCKET/PATH]              the database replicated continuously (Litestream); with a
                                                                folder, one hub writes at a time (the lease in that folder)
  leadline serve --standby --replicate file:///DIR [--primary URL] [--port 7300]
                                                                a standby hub: takes over (restores the replica, serves)
                                                                when the primary stops renewing the lease
                                                                HTTPS/WSS with the hub's own CA (names: this host, localhost,
                                                                127.0.0.1 unless --name) or the centre's certificate; on a LAN
                                                                address TLS is on unless --insecure-http
  leadline tls ca                                               the hub CA's certificate (PEM) and SHA-256, for seats to trust
  leadline sip set USERNAME --ws wss://pbx:8089/ws --domain pbx.local --ext 2001 [--password-file F|-] [--display-name N]
        [--prefix 9] [--ice '[{"urls":"turn:turn.local:3478","username":"u","credential":"c"}]']
                                                                give a user a SIP line (the password and TURN credential sealed)
  leadline sip list                                             every line (no passwords)
  leadline sip remove USERNAME                                  take a line away
  leadline sip test USERNAME                                    register once with the user's line and say what happened
  leadline users add USERNAME --role ROLE --name NAME [--password-file F|-] [--staff-no N] [--district CODE]
  leadline users list [--role ROLE]
  leadline users passwd USERNAME [--password-file F|-]          (a password is generated when omitted; a file's
                                                                first line, or - for the standard input)
  leadline import FILE [--source S] [--policy skip|fill|attach] [--encoding utf-8|gbk|gb18030] [--sheet NAME] [--campaign ID]
                                                                import a CSV/XLSX lead list (all or nothing)
  leadline dnc import FILE [--source customer_request|refusal|complaint|external_list|regulator]
        [--scope all|campaign:ID|insurer:NAME] [--channel all|call|sms] [--reason TEXT] [--days N|forever]
        [--effective-on YYYY-MM-DD]                             put a list of numbers on the do-not-call list (all or nothing)
  leadline dnc check --phone N [--campaign ID|NAME] [--channel call|sms]
                                                                may this number be called now, and if not, which entry stops it
  leadline numbers import FILE                                  caller numbers (外显号码) from CSV/XLSX: 号码, 运营商, 线路, 活动, 状态 (all or nothing)
  leadline numbers list                                         the pool: each number with its 归属地, line, status, calls today / cap
  leadline numbers pick --phone N [--campaign ID|NAME]          which number a call to N would show now, and why (nothing used up)
  leadline apikey create --name NAME --scopes leads:write,events:read [--campaign ID|NAME] [--days N]
                                                                an integration API key, printed once (--json: { "key" })
  leadline apikey list                                          the keys: name, scopes, expiry, revoked (never the key)
  leadline apikey revoke ID|KEY                                 refused from the next request on
  leadline storage set s3 --endpoint URL --bucket B --access-key K --secret-key-file F|- [--region us-east-1] [--prefix P]
        [--path-style] [--seats-reach] [--grace-hours 24] [--cache-mb 2048]
                                                                archive recordings in an S3 store (Ceph, MinIO, OSS, COS, OBS, AWS),
                                                                checked by a round trip first; the secret sealed (--secret-key S works too)
  leadline storage set local                                    archive recordings in the data folder (as before)
  leadline storage check                                        the store: reach, bucket, write/read/delete, clocks, Object Lock,
                                                                and localOnly (recordings not in the store yet)
  leadline storage migrate                                      upload the existing archive, with progress; stopped, it goes on
  leadline privacy export --phone N --out FILE.zip             everything held about one customer (workbook, JSON, recordings)
  leadline privacy erase --phone N --reason TEXT                erase one customer where no legal duty keeps the data; prints the proof
  leadline retention run [--dry-run]                            delete what is past its retention period (or say what would go)
  leadline backup FILE.db                                       the database alone: online backup, then an integrity check
  leadline backup DIR [--passphrase-file F|-] [--keep-days N]   everything: database and sealing key (encrypted under the passphrase,
                                                                or $LEADLINE_BACKUP_PASSPHRASE), recordings new since the last time
  leadline restore FILE.db | DIR/leadline-<time> [--passphrase-file F|-]
                                                                bring a backup back (checked first; the old database kept beside it)
  leadline migrate                                              bring the database to this version's schema
  leadline updates publish FILE... [--version 1.2.3]            put desktop installers (.exe, .AppImage, .deb, .dmg) and their
                                                                feed (latest.yml …, SHA-512) on the hub at /updates/ for the seats;
                                                                only a signed release (release.json and .sig beside them)
  leadline updates sign --key KEY FILE... [--version 1.2.3]     (whoever releases LeadLine) sign installers: release.json + .sig
  leadline updates keygen DIR                                   a new Ed25519 signing key pair (the .pub is built into the app)
  leadline diagnose [FILE.zip]                                  one ZIP for support: versions, settings (no secrets), counts,
                                                                the logs (numbers masked); no leads, recordings or keys

  common options: --data DIR (default $LEADLINE_DATA or ~/.leadline), --json
  roles: ${ROLES.join(', ')}
`

async function main(argv: string[]): Promise<number> {
  // everything the hub and the commands write (database, recordings, backups, exports) is the administrator's alone
  process.umask(0o077)
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        data: { type: 'string' },
        json: { type: 'boolean' },
        host: { type: 'string' },
        port: { type: 'string' },
        'no-demo': { type: 'boolean' },
        demo: { type: 'boolean' },
        static: { type: 'string' },
        role: { type: 'string' },
        // a user's display name; for `serve`, each name the hub's certificate covers (repeatable)
        name: { type: 'string', multiple: true },
        tls: { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'insecure-http': { type: 'boolean' },
        ws: { type: 'string' },
        domain: { type: 'string' },
        ext: { type: 'string' },
        prefix: { type: 'string' },
        'display-name': { type: 'string' },
        ice: { type: 'string' },
        password: { type: 'string' },
        'password-file': { type: 'string' },
        'staff-no': { type: 'string' },
        district: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        source: { type: 'string' },
        policy: { type: 'string' },
        encoding: { type: 'string' },
        sheet: { type: 'string' },
        campaign: { type: 'string' },
        passphrase: { type: 'string' },
        'passphrase-file': { type: 'string' },
        'keep-days': { type: 'string' },
        version: { type: 'string' },
        key: { type: 'string' },
        scope: { type: 'string' },
        channel: { type: 'string' },
        reason: { type: 'string' },
        days: { type: 'string' },
        'effective-on': { type: 'string' },
        phone: { type: 'string' },
        out: { type: 'string' },
        'dry-run': { type: 'boolean' },
        scopes: { type: 'string' },
        endpoint: { type: 'string' },
        bucket: { type: 'string' },
        region: { type: 'string' },
        'access-key': { type: 'string' },
        'secret-key': { type: 'string' },
        'secret-key-file': { type: 'string' },
        'path-style': { type: 'boolean' },
        'seats-reach': { type: 'boolean' },
        'grace-hours': { type: 'string' },
        'cache-mb': { type: 'string' },
        replicate: { type: 'string' },
        standby: { type: 'boolean' },
        primary: { type: 'string' }
      }
    })
  } catch (err) {
    return report(
      argv.includes('--json'),
      new AppError('INVALID_INPUT', 'errors.badOption', { name: 'argv', value: (err as Error).message })
    )
  }
  const { values: opt, positionals: pos } = parsed
  const json = !!opt.json
  // A password on the command line is in the process list and the shell's history for anyone on the
  // machine to read: from a file (or - for the standard input) instead, or generated.
  if (opt['password-file'] !== undefined) {
    const f = opt['password-file']
    try {
      opt.password = readFileSync(f === '-' ? 0 : resolve(f), 'utf8').split(/\r?\n/)[0]
    } catch {
      return report(json, new AppError('NOT_FOUND', 'errors.fileNotFound', { file: f }))
    }
  } else if (opt.password !== undefined) process.stderr.write(`${translate(locale, 'errors.passwordOnCommandLine')}\n`)
  // the backup passphrase likewise
  if (opt['passphrase-file'] !== undefined) {
    const f = opt['passphrase-file']
    try {
      opt.passphrase = readFileSync(f === '-' ? 0 : resolve(f), 'utf8').split(/\r?\n/)[0]
    } catch {
      return report(json, new AppError('NOT_FOUND', 'errors.fileNotFound', { file: f }))
    }
  } else if (opt.passphrase !== undefined)
    process.stderr.write(`${translate(locale, 'errors.passphraseOnCommandLine')}\n`)
  const dataDir = resolve(opt.data ?? process.env.LEADLINE_DATA ?? join(homedir(), '.leadline'))
  const [cmd, sub, ...rest] = pos

  if (!cmd || cmd === 'help' || opt.help) {
    if (json) out({ commands: COMMANDS })
    else process.stdout.write(HELP)
    return 0
  }

  // every command keeps the hub's clock when it is shifted (training rooms, tests)
  const clockStart = process.env.LEADLINE_CLOCK_START
  const openCore = (extra: Partial<Parameters<typeof createCore>[0]> = {}) =>
    createCore({
      dataDir,
      host: 'hub',
      appVersion: __APP_VERSION__,
      logger: stderrLogger,
      ...(clockStart
        ? { clock: new ShiftedClock(clockStart, Number(process.env.LEADLINE_CLOCK_SINCE) || undefined) }
        : {}),
      ...extra
    })

  try {
    switch (cmd) {
      case 'serve':
        return await serve(dataDir, opt, openCore)
      case 'sip':
        return await sip(sub, rest, opt, json, openCore)
      case 'dnc':
        return await dnc(sub, rest, opt, json, openCore)
      case 'numbers':
        return await numbers(sub, rest, opt, json, openCore)
      case 'apikey':
        return await apikey(sub, rest, opt, json, openCore)
      case 'storage':
        return await storage(sub, rest, opt, json, openCore)
      case 'privacy':
      case 'retention':
        return await privacy(cmd, sub, opt, json, openCore)
      case 'tls': {
        if (sub !== 'ca')
          return fail('errors.unknownCommand', { command: `tls ${sub ?? ''}`, commands: COMMANDS.join(', ') })
        const ca = await hubCa(dataDir)
        if (json) out({ pem: ca.pem, fingerprint: ca.fingerprint, notAfter: ca.notAfter.toISOString() })
        else process.stdout.write(`${ca.pem}SHA-256 ${ca.fingerprint}\n`)
        return 0
      }
      case 'users': {
        const core = await openCore({ demo: false })
        try {
          const sys = core.connectSystem('cli', locale)
          if (sub === 'list') {
            const users = unwrap<
              {
                username: string
                displayName: string
                role: string
                staffNo: string | null
                districtCode: string | null
                disabled: boolean
              }[]
            >(await sys.invoke('users.list', { role: opt.role, includeDisabled: true }))
            if (json) out({ users })
            else
              for (const u of users)
                console.log(
                  [
                    u.username,
                    u.displayName,
                    u.role,
                    u.staffNo ?? '-',
                    u.districtCode ?? '-',
                    u.disabled ? 'disabled' : 'active'
                  ].join('\t')
                )
            return 0
          }
          if (sub === 'add') {
            const username = rest[0] ?? fail('errors.missingArgument', { name: 'USERNAME' })
            if (!opt.role) fail('errors.missingArgument', { name: '--role' })
            const generated = opt.password ? null : generatePassword()
            const user = unwrap<{ id: number; username: string; role: string }>(
              await sys.invoke('users.create', {
                username,
                displayName: opt.name?.[0] ?? username,
                role: opt.role,
                password: opt.password ?? generated,
                staffNo: opt['staff-no'],
                districtCode: opt.district
              })
            )
            if (json) out({ user, ...(generated ? { password: generated } : {}) })
            else
              console.log(`${user.username} (${user.role}) #${user.id}${generated ? `  password: ${generated}` : ''}`)
            return 0
          }
          if (sub === 'passwd') {
            const username = rest[0] ?? fail('errors.missingArgument', { name: 'USERNAME' })
            const users = unwrap<{ id: number; username: string }[]>(
              await sys.invoke('users.list', { includeDisabled: true })
            )
            const u =
              users.find((x) => x.username.toLowerCase() === username.toLowerCase()) ??
              fail('errors.NOT_FOUND', undefined, 'NOT_FOUND')
            const password = opt.password ?? generatePassword()
            unwrap(await sys.invoke('users.resetPassword', { id: u.id, password }))
            if (json) out({ username: u.username, ...(opt.password ? {} : { password }) })
            else console.log(opt.password ? `${u.username}: password set` : `${u.username}: new password ${password}`)
            return 0
          }
          return fail('errors.unknownCommand', { command: `users ${sub ?? ''}`.trim(), commands: COMMANDS.join(', ') })
        } finally {
          core.close()
        }
      }
      case 'import': {
        const file = resolve(sub ?? fail('errors.missingArgument', { name: 'FILE' }))
        if (!existsSync(file)) fail('errors.fileNotFound', { file }, 'NOT_FOUND')
        const policy = opt.policy ?? 'skip'
        if (!['skip', 'fill', 'attach'].includes(policy)) fail('errors.badOption', { name: '--policy', value: policy })
        const core = await openCore({ demo: false })
        try {
          const started = Date.now()
          const r = await core.leads.importFile(
            readFileSync(file),
            {
              fileName: basename(file),
              source: opt.source ?? basename(file).replace(/\.[^.]+$/, ''),
              campaignId: opt.campaign ? Number(opt.campaign) : 1,
              policy: policy as 'skip' | 'fill' | 'attach',
              userId: null,
              encoding: opt.encoding,
              sheet: opt.sheet
            },
            // "reading 12000/300000", then "writing …": a list killed while writing is finished at the next start
            { onProgress: (done, total, phase) => process.stderr.write(`\r${phase} ${done}/${total}`) },
            'cli'
          )
          process.stderr.write('\n')
          const out1 = { ...r, seconds: (Date.now() - started) / 1000 }
          if (json) out(out1)
          else
            console.log(
              `batch #${r.batchId}: ${r.rows} rows, ${r.imported} imported, ${r.duplicatesInFile} duplicate in file, ${r.duplicatesInPool} already in pool, ${r.invalid} invalid, ${r.dnc} do-not-call`
            )
          return 0
        } finally {
          core.close()
        }
      }
      case 'backup': {
        const file = resolve(sub ?? fail('errors.missingArgument', { name: 'FILE' }))
        if (!existsSync(join(dataDir, DB_FILE_NAME)))
          fail('errors.fileNotFound', { file: join(dataDir, DB_FILE_NAME) }, 'NOT_FOUND')
        const core = await openCore({ demo: false })
        try {
          // FILE.db: the database alone; a folder: everything (database, sealing key, recordings), incrementally
          if (file.endsWith('.db')) {
            const r = await core.backup(file, 'cli')
            if (json) out(r)
            else console.log(`backup written: ${r.file} (${r.bytes} bytes, schema ${r.schemaVersion}, integrity ok)`)
            return 0
          }
          const keepDays = opt['keep-days'] ? Number(opt['keep-days']) : undefined
          if (keepDays !== undefined && !(Number.isInteger(keepDays) && keepDays > 0))
            fail('errors.badOption', { name: '--keep-days', value: String(opt['keep-days']) })
          const r = await core.backupAll(
            file,
            opt.passphrase ?? process.env.LEADLINE_BACKUP_PASSPHRASE ?? null,
            'cli',
            keepDays
          )
          if (json) out(r)
          else
            console.log(
              `backup set ${r.set}: database ${r.database.bytes} bytes (schema ${r.database.schemaVersion}), ${r.recordings.copied} of ${r.recordings.files} recording files copied (${r.recordings.bytes} bytes), key sealed under the passphrase`
            )
          return 0
        } finally {
          core.close()
        }
      }
      case 'restore': {
        const file = resolve(sub ?? fail('errors.missingArgument', { name: 'FILE' }))
        const owner = dataDirOwner(dataDir)
        if (owner) throw new AppError('CONFLICT', 'errors.dataDirInUse', { pid: owner })
        if (isBackupSet(file)) {
          const passphrase =
            opt.passphrase ?? process.env.LEADLINE_BACKUP_PASSPHRASE ?? fail('errors.backupPassphraseRequired')
          const r = await fullRestore({ dataDir, set: file, passphrase, now: new Date() })
          if (json) out(r)
          else
            console.log(
              `restored from ${file} (schema ${r.schemaVersion}): ${r.recordings.restored} recordings${r.recordings.missing.length ? `, ${r.recordings.missing.length} missing from the backup` : ''}; the sealing key ${r.key ? 'restored' : 'was not in the set'}`
            )
          return r.recordings.missing.length ? 1 : 0
        }
        const r = restoreDatabase(join(dataDir, DB_FILE_NAME), file, new Date())
        if (json) out(r)
        else
          console.log(
            `restored from ${r.restoredFrom} (schema ${r.schemaVersion}); previous database kept as ${r.previousKeptAs ?? '-'}`
          )
        return 0
      }
      case 'migrate': {
        const core = await openCore({ demo: false })
        try {
          if (json) out({ dataDir, ...core.migrated })
          else console.log(`schema ${core.migrated.from} → ${core.migrated.to}`)
          return 0
        } finally {
          core.close()
        }
      }
      case 'updates': {
        if (sub === 'keygen') {
          const dir = resolve(rest[0] ?? '.')
          const keys = newSigningKeys()
          mkdirSync(dir, { recursive: true })
          writeFileSync(join(dir, 'update-signing.key'), keys.privatePem, { mode: 0o600 })
          writeFileSync(join(dir, 'update-signing.pub'), keys.publicPem)
          if (json) out({ privateKey: join(dir, 'update-signing.key'), publicKey: join(dir, 'update-signing.pub') })
          else
            console.log(
              `signing keys written to ${dir} (keep update-signing.key secret; build update-signing.pub into the app)`
            )
          return 0
        }
        if (sub === 'sign') {
          if (!opt.key) return fail('errors.missingArgument', { name: '--key' })
          const r = await signRelease(
            rest.map((f) => resolve(f)),
            readFileSync(resolve(opt.key), 'utf8'),
            { version: opt.version }
          )
          if (json) out(r)
          else console.log(`LeadLine ${r.version} signed: ${r.manifest}, ${r.signature}`)
          return 0
        }
        if (sub !== 'publish')
          return fail('errors.unknownCommand', { command: `updates ${sub ?? ''}`, commands: COMMANDS.join(', ') })
        // beside a running hub (which holds the database): only the data folder's owner can write here
        const r = await publishUpdates(
          dataDir,
          rest.map((f) => resolve(f)),
          { version: opt.version }
        )
        if (json) out(r)
        else
          console.log(
            `LeadLine ${r.version} published in ${r.folder}: ` +
              r.feeds.map((f) => `${f.feed} (${f.files.map((x) => x.name).join(', ')})`).join('; ')
          )
        return 0
      }
      case 'diagnose': {
        const file = resolve(sub ?? `leadline-diagnose-${new Date().toISOString().replace(/[:.]/g, '-')}.zip`)
        const r = await diagnose(dataDir, file, { appVersion: __APP_VERSION__ })
        if (json) out(r)
        else
          console.log(
            `support bundle written: ${r.file} (${r.logs.length} log files, schema ${r.schemaVersion ?? '-'})`
          )
        return 0
      }
      default:
        return fail('errors.unknownCommand', { command: cmd, commands: COMMANDS.join(', ') })
    }
  } catch (err) {
    return report(json, err)
  }

  function out(obj: unknown): void {
    process.stdout.write(JSON.stringify(obj) + '\n')
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => process.exit(report(process.argv.includes('--json'), err))
)
