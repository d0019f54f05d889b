import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { EventEmitter } from 'node:events'
import { DesktopUpdates, type UpdaterLike, type UpdateState } from '../../electron/main/updates'

/** electron-updater's AppUpdater as the desktop drives it: events out, a feed, a check, an install. */
class FakeUpdater extends EventEmitter {
  autoDownload = false
  autoInstallOnAppQuit = false
  feeds: string[] = []
  checks = 0
  installs: [boolean | undefined, boolean | undefined][] = []
  setFeedURL(o: { provider: 'generic'; url: string }) {
    this.feeds.push(`${o.provider} ${o.url}`)
  }
  async checkForUpdates() {
    this.checks++
    this.emit('checking-for-update')
    return null
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean) {
    this.installs.push([isSilent, isForceRunAfter])
  }
}

let updater: FakeUpdater
let states: UpdateState[]
let updates: DesktopUpdates
beforeEach(() => {
  vi.useFakeTimers()
  updater = new FakeUpdater()
  states = []
  updates = new DesktopUpdates(
    updater as unknown as UpdaterLike,
    (s) => states.push(s),
    { info() {}, warn() {} },
    60_000
  )
})
afterEach(() => {
  updates.stop()
  vi.useRealTimers()
})

/** The server has 0.2.0: it is found, downloaded with progress, and ready. */
function serverHasNewVersion() {
  updater.emit('update-available', { version: '0.2.0' })
  updater.emit('download-progress', { percent: 41.6 })
  updater.emit('download-progress', { percent: 100 })
  updater.emit('update-downloaded', { version: '0.2.0' })
}

describe('the desktop’s updates from the hub', () => {
  it('checks the hub’s feed when the seat knows its hub and every few hours, downloading in the background', async () => {
    expect(updater.autoDownload).toBe(true)
    expect(updater.autoInstallOnAppQuit).toBe(true)
    updates.setHub(null)
    expect(updater.checks).toBe(0) // a seat on its own data has no hub to update from
    updates.setHub('wss://hub.lan:7300/api/ws')
    expect(updater.feeds).toEqual(['generic https://hub.lan:7300/updates/'])
    expect(updater.checks).toBe(1)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(updater.checks).toBe(2)
    serverHasNewVersion()
    expect(states.map((s) => ('percent' in s ? `${s.state} ${s.percent}` : s.state))).toEqual([
      'checking',
      'checking',
      'downloading 0',
      'downloading 42',
      'downloading 100',
      'ready'
    ])
    // downloaded: no more checks until it is installed
    await vi.advanceTimersByTimeAsync(60_000)
    expect(updater.checks).toBe(2)
  })

  it('installs at once when no call is on', () => {
    updates.setHub('https://hub.lan:7300')
    serverHasNewVersion()
    expect(updates.install()).toEqual({ waitingForCall: false })
    expect(updater.installs).toEqual([[false, true]])
  })

  it('never installs during a call: a restart asked for waits for the call (and its wrap-up) to end', () => {
    updates.setHub('https://hub.lan:7300')
    serverHasNewVersion()
    updates.setCallActive(true)
    // a quit in the middle of the call would not install either
    expect(updater.autoInstallOnAppQuit).toBe(false)
    expect(updates.install()).toEqual({ waitingForCall: true })
    expect(updater.installs).toEqual([])
    expect(updates.state()).toEqual({ state: 'ready', version: '0.2.0', waitingForCall: true })
    updates.setCallActive(false)
    expect(updater.installs).toEqual([[false, true]])
    expect(updater.autoInstallOnAppQuit).toBe(true)
  })

  it('says a failed check, and tries again at the next turn', async () => {
    updater.checkForUpdates = async () => {
      updater.checks++
      throw new Error('connect ECONNREFUSED')
    }
    updates.setHub('https://hub.lan:7300')
    await vi.advanceTimersByTimeAsync(0)
    expect(updates.state()).toEqual({ state: 'error', message: 'connect ECONNREFUSED' })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(updater.checks).toBe(2)
  })
})
