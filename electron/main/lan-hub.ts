import type { Core, Logger } from '../core'
import { startHub, type Hub } from '../server/hub'

/**
 * A desktop seat can share its pool on the LAN: the same hub the headless server runs, on the
 * seat's own core. Follows the `lanHub` setting as an administrator changes it.
 */
export function followLanHubSetting(core: Core, staticDir: string, logger: Logger): { stop(): Promise<void> } {
  let hub: Hub | null = null
  let applied = ''
  let queue = Promise.resolve()

  const apply = () => {
    queue = queue.then(async () => {
      const want = core.settings().lanHub
      const key = want.enabled ? `${want.host}:${want.port}` : ''
      if (key === applied) return
      if (hub) {
        await hub.close()
        hub = null
      }
      applied = ''
      if (want.enabled) {
        try {
          hub = await startHub({ core, host: want.host, port: want.port, staticDir, logger })
          applied = key
        } catch (err) {
          logger.error('could not share the pool on the LAN', err)
        }
      }
    })
  }

  apply()
  const unsubscribe = core.events.subscribe((name, payload) => {
    if (name === 'settings.changed' && (payload as { keys: string[] }).keys.includes('lanHub')) apply()
  })
  return {
    async stop() {
      unsubscribe()
      await queue
      await hub?.close()
    }
  }
}
