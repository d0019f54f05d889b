import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { ShiftedClock, stderrLogger } from '../core'
import { RotatingLog, teeLogger } from '../core/log-file'
import { startHub } from '../server/hub'
import { defaultNames, ensureHubCertificate, loadCredentials, type HubCredentials } from '../server/tls'
import { fail, locale, type OpenCore } from './common'
import { translate } from '../../shared/i18n'
import { newSetupCode } from '../core/auth/password'
import { FileLease } from '../core/system/lease'
import { HUB_ID, replicaFolder, standBy, takeLease, type Takeover } from './standby'

export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host)

/** The hub's certificate: the centre's own (--tls-cert/--tls-key), or one its CA issues for the names asked for. */
async function hubCredentials(
  dataDir: string,
  host: string,
  opt: { name?: string[]; tls?: boolean; 'tls-cert'?: string; 'tls-key'?: string; 'insecure-http'?: boolean }
): Promise<HubCredentials | null> {
  const files = opt['tls-cert'] !== undefined || opt['tls-key'] !== undefined
  if (files && (!opt['tls-cert'] || !opt['tls-key']))
    fail('errors.missingArgument', { name: opt['tls-cert'] ? '--tls-key' : '--tls-cert' })
  const wanted = opt.tls || files
  if (wanted && opt['insecure-http']) fail('errors.tlsConflict')
  // a seat on the LAN is not a secure context over http: plain HTTP there only when asked for
  if (!wanted && (opt['insecure-http'] || isLoopback(host))) return null
  if (files) {
    try {
      return loadCredentials(opt['tls-cert']!, opt['tls-key']!)
    } catch (err) {
      fail('errors.tlsFiles', { reason: err instanceof Error ? err.message : String(err) })
    }
  }
  const names = opt.name?.length
    ? opt.name
    : [...defaultNames(), ...(host !== '0.0.0.0' && host !== '::' && !defaultNames().includes(host) ? [host] : [])]
  return ensureHubCertificate(dataDir, names)
}

export async function serve(
  dataDir: string,
  opt: {
    host?: string
    port?: string
    'no-demo'?: boolean
    demo?: boolean
    static?: string
    json?: boolean
    name?: string[]
    tls?: boolean
    'tls-cert'?: string
    'tls-key'?: string
    'insecure-http'?: boolean
    replicate?: string
    standby?: boolean
    primary?: string
  },
  openCore: OpenCore
): Promise<number> {
  const port = opt.port === undefined ? 7300 : Number(opt.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail('errors.badOption', { name: '--port', value: String(opt.port) })
  const host = opt.host ?? '127.0.0.1'
  const tls = await hubCredentials(dataDir, host, opt)
  const staleEnv = Number(process.env.LEADLINE_RECORDING_STALE_MS)
  const clockStart = process.env.LEADLINE_CLOCK_START
  // Demo accounts (known passwords) on a hub shared on the LAN only when asked for with --demo: an empty
  // installation there asks for its first administrator instead.
  const demo = !opt['no-demo'] && (isLoopback(host) || !!opt.demo)
  // the terminal, and a rotating file in the data folder (logs/leadline.log), personal data masked
  const log = teeLogger(stderrLogger, new RotatingLog(join(dataDir, 'logs')))
  // On the LAN, an empty installation's first administrator needs a code from this console: whoever
  // reaches the page first must not get the centre (loopback: only this machine reaches it).
  const setupCode = isLoopback(host) ? null : newSetupCode()
  // With a replica in a shared folder, one hub writes at a time: the lease (electron/core/system/lease.ts)
  const folder = replicaFolder(opt.replicate)
  const lease = folder ? new FileLease(folder) : null
  // the address seats reach this hub by (all interfaces: the machine's name)
  const advertised = host === '0.0.0.0' || host === '::' ? hostname() : host
  const guessUrl = `${tls ? 'https' : 'http'}://${advertised}:${port}`
  const say = (obj: object, text: string) => process.stdout.write(opt.json ? `${JSON.stringify(obj)}\n` : `${text}\n`)
  let takeover: Takeover | null = null
  if (opt.standby) {
    if (!lease || !opt.replicate) fail('errors.standbyNeedsFolder')
    say(
      { standby: true, replicate: opt.replicate, primary: opt.primary ?? null, pid: process.pid },
      `LeadLine standby: watching the lease in ${folder} (primary ${opt.primary ?? '—'})`
    )
    // while it stands by: it answers seats that probe it (not the writer) and tells the primary where it is
    const presence = createServer((req, res) => {
      const c = lease!.current()
      res
        .writeHead(req.url === '/healthz' ? 503 : 404, {
          'Content-Type': 'application/json',
          'Access-Control-Allow-Origin': '*'
        })
        .end(JSON.stringify({ ok: false, role: 'standby', epoch: c?.epoch ?? null, holder: c?.url ?? null }))
    })
    await new Promise<void>((ok) => presence.listen(port, host, () => ok()))
    const announce = setInterval(() => lease!.announce(HUB_ID, guessUrl), 1000)
    lease!.announce(HUB_ID, guessUrl)
    takeover = await standBy({
      lease: lease!,
      replicaUrl: opt.replicate!,
      dataDir,
      url: guessUrl,
      primary: opt.primary ?? null,
      log,
      status: (st) =>
        log.info(
          `standby: lease ${st.holder ? `epoch ${st.holder.epoch} held by ${st.holder.holder}` : 'never taken'}, unchanged for ${st.stillMs} ms; primary ${st.primaryUp === null ? 'not given' : st.primaryUp ? 'answers' : 'does not answer'}`
        )
    })
    clearInterval(announce)
    await new Promise((ok) => presence.close(ok))
  } else if (lease) {
    await takeLease(lease, guessUrl, log, (holder) =>
      say(
        { waitingForLease: { holder: holder.holder, holderUrl: holder.url, epoch: holder.epoch } },
        `LeadLine: another hub (${holder.holder}, ${holder.url}) holds the write lease; waiting until it stops renewing it`
      )
    )
  }
  const core = await openCore({
    logger: log,
    setupCode,
    demo,
    demoLogins: demo,
    backupPassphrase: process.env.LEADLINE_BACKUP_PASSPHRASE ?? null,
    exclusive: true,
    recordingStaleMs: staleEnv > 0 ? staleEnv : undefined,
    clock: clockStart ? new ShiftedClock(clockStart, Number(process.env.LEADLINE_CLOCK_SINCE) || undefined) : undefined
  })
  // the database replicated continuously (Litestream) to a folder or the object store, before any seat writes
  if (opt.replicate) {
    const url = opt.replicate
    if (!/^(file:\/\/\/|s3:\/\/)/.test(url)) {
      core.close()
      fail('errors.badOption', { name: '--replicate', value: url })
    }
    try {
      await core.replicate({
        url,
        s3: url.startsWith('s3://') ? (core.recordings.archive.credentials() ?? undefined) : undefined
      })
    } catch (err) {
      core.close()
      fail('errors.replicationFailed', { reason: err instanceof Error ? err.message : String(err) })
    }
  }
  // a hub that took over takes the seats' resent outcomes from its first request on
  if (takeover)
    core.setCluster({ epoch: takeover.lease.epoch, self: guessUrl, peers: [], takeoverAt: new Date().toISOString() })
  const staticDir = opt.static ? resolve(opt.static) : join(__dirname, '../renderer')
  let hub
  try {
    hub = await startHub({
      core,
      host,
      port,
      staticDir: existsSync(staticDir) ? staticDir : null,
      logger: log,
      tls
    })
  } catch (err) {
    core.close()
    throw err
  }
  // the hub's own certificate is renewed a month before it ends, without a restart (checked twice a day)
  const renew =
    tls?.ca && !opt['tls-cert']
      ? setInterval(() => {
          ensureHubCertificate(dataDir, tls.names)
            .then((c) => {
              if (!c.renewed) return
              hub.setCredentials(c)
              log.info(`certificate renewed until ${c.notAfter.toISOString()}`)
            })
            .catch((err: unknown) => log.error('certificate renewal', err))
        }, 12 * 3_600_000)
      : null
  renew?.unref()
  const info = await core.connectSystem('serve').invoke('system.info', {})
  const needsAdmin = setupCode !== null && info.ok && (info.value as { needsFirstAdmin: boolean }).needsFirstAdmin
  const line = {
    url: hub.url,
    host: hub.host,
    port: hub.port,
    dataDir,
    pid: process.pid,
    demo: core.settings().demoMode,
    replicate: opt.replicate ?? null,
    lease: lease?.holding() ? { epoch: lease.holding()!.epoch, holder: HUB_ID } : null,
    takeover: takeover
      ? { from: takeover.from?.holder ?? null, fromEpoch: takeover.from?.epoch ?? 0, restoreMs: takeover.restoreMs }
      : null,
    ...(needsAdmin ? { setupCode } : {}),
    tls: tls
      ? {
          names: tls.names,
          fingerprint: tls.fingerprint,
          spki: tls.spki,
          notAfter: tls.notAfter.toISOString(),
          ca: tls.ca ? 'hub' : 'centre'
        }
      : null
  }
  if (opt.json) process.stdout.write(JSON.stringify(line) + '\n')
  else
    process.stdout.write(
      `LeadLine hub: ${hub.url}  (data: ${dataDir})${tls ? `\n  certificate SHA-256 ${tls.fingerprint}${tls.ca ? ' — seats trust the hub CA: npx leadline tls ca' : ''}` : ''}\n` +
        (needsAdmin ? `  ${translate(locale, 'setup.consoleCode', { url: hub.url, code: setupCode! })}\n` : '')
    )
  // the lease kept while the hub runs; lost (a later epoch, or the replica's folder out of reach for
  // the TTL), this hub stops writing at once: it closes and exits, its seats go to the new holder
  if (lease) {
    lease.setUrl(hub.url)
    lease.withdraw(HUB_ID)
    // what the seats are told (system.hubs, /healthz): this hub's epoch, the standbys heard from, and the
    // hub this one took over from (its pages' origin may follow the lease here; it is no standby)
    const takeoverAt = takeover ? new Date().toISOString() : null
    let recordingsMissing: number | null = null
    const tell = () =>
      core.setCluster({
        epoch: lease.holding()?.epoch ?? null,
        self: hub.url,
        peers: lease.standbys(),
        previous: takeover?.from?.url ?? null,
        takeoverAt,
        recordingsMissing
      })
    // recordings on the hubs' own disks (no object store): say which ones this hub lacks
    if (takeover && core.recordings.archive.settings().kind === 'local')
      void core.recordings.archive.lacking().then((l) => {
        recordingsMissing = l.count
        tell()
        if (l.count)
          log.warn(
            `takeover: ${l.count} recordings were on the old primary's disk and are not here (first: ${l.first.slice(0, 5).join(', ')})`
          )
      })
    tell()
    setInterval(tell, 2000).unref()
    // planned maintenance (系统设置 → 备份 → 切换到备用服务器): the last writes into the replica, the lease
    // given up (the standby takes it at once), then this hub stops; seats resend what was not yet replicated
    core.setHandover(async () => {
      log.warn('handover: giving the write lease to the standby')
      // no more writes, then every one of them in the replica (10 s at most: the seats keep what is not)
      await hub.close()
      const closedAt = new Date().toISOString()
      const end = Date.now() + 10_000
      while (Date.now() < end && (core.replication()?.status().replicatedAt ?? '') < closedAt)
        await new Promise((r) => setTimeout(r, 100))
      await core.replication()?.stop()
      lease.release()
      core.close()
      process.exit(0)
    })
    lease.keep((why) => {
      log.error(`lease lost: ${why}; this hub stops writing and exits`)
      void hub.close().finally(() => {
        core.close()
        process.exit(3)
      })
    })
  }
  const stop = async () => {
    lease?.stop()
    if (renew) clearInterval(renew)
    await hub.close()
    // Litestream's last sync before the hub goes
    await core.replication()?.stop()
    core.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
  await new Promise(() => {})
  return 0
}
