import { networkInterfaces } from 'node:os'
import type { Core, Logger } from '../core'
import { startHub, type Hub } from '../server/hub'
import { defaultNames, ensureHubCertificate } from '../server/tls'

/** The names a seat on the LAN may reach this machine by: its host name, its LAN addresses, the host asked for. */
export function lanNames(host: string): string[] {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && a.family === 'IPv4')
    .map((a) => a!.address)
  const specific = host !== '0.0.0.0' && host !== '::' ? [host] : []
  return [...new Set([...defaultNames(), ...addresses, ...specific])]
}

export interface LanShareState {
  state: 'off' | 'on' | 'refused' | 'failed'
  url?: string
  /** SHA-256 of the certificate, for the seats to check on their first connection. */
  fingerprint?: string
  /** Why it does not share, in words. */
  reason?: string
}

/**
 * A desktop seat can share its pool on the LAN: the same hub the headless server runs, on the
 * seat's own core, over TLS with the hub's own certificate authority (seats pin it like any hub's),
 * and only when no account anyone on the LAN could log in with exists (demo mode, the demo
 * password). Follows the `lanHub` and `demoMode` settings as an administrator changes them.
 */
export function followLanHubSetting(
  core: Core,
  staticDir: string | null,
  logger: Logger,
  onState: (s: LanShareState) => void = () => {}
): { stop(): Promise<void>; settled(): Promise<void> } {
  let hub: Hub | null = null
  let applied = ''
  let queue = Promise.resolve()

  const apply = () => {
    queue = queue.then(async () => {
      const s = core.settings()
      const want = s.lanHub
      const key = want.enabled ? `${want.host}:${want.port}:${s.demoMode}` : ''
      if (key === applied) return
      if (hub) {
        await hub.close()
        hub = null
      }
      applied = key
      if (!want.enabled) return onState({ state: 'off' })
      const refused = await core.lanShareRefusal()
      if (refused) {
        const reason = refused.toShape(s.defaultLocale).message
        logger.error(`not sharing this seat's data on the LAN: ${reason}`)
        return onState({ state: 'refused', reason })
      }
      try {
        const tls = await ensureHubCertificate(core.dataDir, lanNames(want.host))
        hub = await startHub({ core, host: want.host, port: want.port, staticDir, logger, tls })
        onState({ state: 'on', url: hub.url, fingerprint: tls.fingerprint })
      } catch (err) {
        logger.error('could not share the pool on the LAN', err)
        onState({ state: 'failed', reason: err instanceof Error ? err.message : String(err) })
      }
    })
  }

  apply()
  const unsubscribe = core.events.subscribe((name, payload) => {
    const keys = (payload as { keys?: string[] }).keys ?? []
    if (name === 'settings.changed' && (keys.includes('lanHub') || keys.includes('demoMode'))) apply()
  })
  return {
    settled: () => queue,
    async stop() {
      unsubscribe()
      await queue
      await hub?.close()
    }
  }
}
