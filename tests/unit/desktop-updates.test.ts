import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { EventEmitter } from 'node:events'
import { createHash } from 'node:crypto'
import { DesktopUpdates, type UpdaterLike, type UpdateState } from '../../electron/main/updates'
import { manifestText, newSigningKeys, signManifest } from '../../electron/core/system/update-signing'
import { translate } from '../../shared/i18n'

/** electron-updater's AppUpdater as the desktop drives it: events out, a feed, a check, a download, an install. */
class FakeUpdater extends EventEmitter {
  autoDownload = true
  autoInstallOnAppQuit = true
  feeds: string[] = []
  checks = 0
  downloads = 0
  installs: [boolean | undefined, boolean | undefined][] = []
  setFeedURL(o: { provider: 'generic'; url: string }) {
    this.feeds.push(`${o.provider} ${o.url}`)
  }
  async checkForUpdates() {
    this.checks++
    this.emit('checking-for-update')
    return null
  }
  async downloadUpdate() {
    this.downloads++
    return []
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean) {
    this.installs.push([isSilent, isForceRunAfter])
  }
}

const keys = newSigningKeys()
const INSTALLER = Buffer.from('the 0.2.0 installer')
const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('base64')
/** What the hub serves at /updates/, and what is on disk after a download. */
let served: Record<string, string>
let disk: Record<string, Buffer>
function serveRelease(
  version: string,
  files = [{ name: 'LeadLine-Setup-0.2.0.exe', size: 19, sha512: sha512(INSTALLER) }],
  key = keys.privatePem
) {
  const text = manifestText({ product: 'LeadLine', version, files })
  served['https://hub.lan:7300/updates/release.json'] = text
  served['https://hub.lan:7300/updates/release.json.sig'] = signManifest(text, key)
}

let updater: FakeUpdater
let states: UpdateState[]
let updates: DesktopUpdates
let fetched: string[]
beforeEach(() => {
  vi.useFakeTimers()
  updater = new FakeUpdater()
  states = []
  served = {}
  disk = { '/cache/pending/installer.exe': INSTALLER }
  fetched = []
  serveRelease('0.2.0')
  updates = new DesktopUpdates(
    updater as unknown as UpdaterLike,
    (s) => states.push(s),
    { info() {}, warn() {} },
    {
      publicKey: keys.publicPem,
      appVersion: '0.1.0',
      fetchText: async (url) => {
        fetched.push(url)
        if (!(url in served)) throw new Error(`404 ${url}`)
        return served[url]
      },
      sha512: async (file) => sha512(disk[file]),
      say: (key, params) => translate('zh-CN', key, params)
    },
    60_000
  )
})
afterEach(() => {
  updates.stop()
  vi.useRealTimers()
})

/** The feed offers 0.2.0: downloaded (once the signed manifest said so) with progress, then on disk. */
async function serverHasNewVersion(version = '0.2.0') {
  await vi.advanceTimersByTimeAsync(0)
  updater.emit('update-available', { version })
  updater.emit('download-progress', { percent: 41.6 })
  updater.emit('download-progress', { percent: 100 })
  updater.emit('update-downloaded', { version, downloadedFile: '/cache/pending/installer.exe' })
  await vi.advanceTimersByTimeAsync(0)
}

describe('the desktop’s updates from the hub', () => {
  it('checks the hub’s signed release when the seat knows its hub and every few hours, downloading in the background', async () => {
    // nothing downloads or installs by itself: only what the signed release names
    expect(updater.autoDownload).toBe(false)
    expect(updater.autoInstallOnAppQuit).toBe(false)
    updates.setHub(null)
    expect(updater.checks).toBe(0) // a seat on its own data has no hub to update from
    updates.setHub('wss://hub.lan:7300/api/ws')
    await vi.advanceTimersByTimeAsync(0)
    expect(updater.feeds).toEqual(['generic https://hub.lan:7300/updates/'])
    expect(fetched).toEqual([
      'https://hub.lan:7300/updates/release.json',
      'https://hub.lan:7300/updates/release.json.sig'
    ])
    expect(updater.checks).toBe(1)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(updater.checks).toBe(2)
    await serverHasNewVersion()
    expect(updater.downloads).toBe(1)
    expect(states.map((s) => ('percent' in s ? `${s.state} ${s.percent}` : s.state))).toEqual([
      'checking',
      'checking',
      'downloading 0',
      'downloading 42',
      'downloading 100',
      'ready'
    ])
    // downloaded and verified: it installs on quit; no more checks until it is installed
    expect(updater.autoInstallOnAppQuit).toBe(true)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(updater.checks).toBe(2)
  })

  it('installs at once when no call is on', async () => {
    updates.setHub('https://hub.lan:7300')
    await serverHasNewVersion()
    expect(updates.install()).toEqual({ waitingForCall: false })
    expect(updater.installs).toEqual([[false, true]])
  })

  it('never installs during a call: a restart asked for waits for the call (and its wrap-up) to end', async () => {
    updates.setHub('https://hub.lan:7300')
    await serverHasNewVersion()
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

describe('nobody who answers for the hub can ship code', () => {
  it('a release not signed with the shipped key, or changed after signing, is refused before anything downloads', async () => {
    serveRelease('0.2.0', undefined, newSigningKeys().privatePem)
    updates.setHub('https://hub.lan:7300')
    await vi.advanceTimersByTimeAsync(0)
    expect(updates.state()).toEqual({
      state: 'error',
      message: '团队服务器上的更新没有有效的签名，已拒绝（不会下载或安装）'
    })
    expect(updater.checks).toBe(0)
    // the right key, one byte changed
    serveRelease('0.2.0')
    served['https://hub.lan:7300/updates/release.json'] = served['https://hub.lan:7300/updates/release.json'].replace(
      '0.2.0',
      '0.2.1'
    )
    await vi.advanceTimersByTimeAsync(60_000)
    expect(updates.state()).toMatchObject({ state: 'error' })
    expect(updater.checks).toBe(0)
    // no signature at all
    delete served['https://hub.lan:7300/updates/release.json.sig']
    await vi.advanceTimersByTimeAsync(60_000)
    expect(updater.checks).toBe(0)
    expect(updater.downloads).toBe(0)
  })

  it('a version not newer than this one is never installed (no downgrade)', async () => {
    serveRelease('0.1.0')
    updates.setHub('https://hub.lan:7300')
    await vi.advanceTimersByTimeAsync(0)
    expect(updates.state()).toEqual({ state: 'idle' })
    serveRelease('0.0.9')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(updater.checks).toBe(0)
  })

  it('the feed offering another version than the signed one is not downloaded', async () => {
    updates.setHub('https://hub.lan:7300')
    await vi.advanceTimersByTimeAsync(0)
    updater.emit('update-available', { version: '6.6.6' })
    expect(updater.downloads).toBe(0)
    expect(updates.state()).toMatchObject({ state: 'error' })
  })

  it('an installer whose SHA-512 is not the signed one never installs, on quit or asked', async () => {
    disk['/cache/pending/installer.exe'] = Buffer.from('something else')
    updates.setHub('https://hub.lan:7300')
    await serverHasNewVersion()
    expect(updates.state()).toEqual({ state: 'error', message: '下载的安装包与签名的发布不符，已拒绝安装' })
    expect(updater.autoInstallOnAppQuit).toBe(false)
    expect(updates.install()).toEqual({ waitingForCall: false })
    expect(updater.installs).toEqual([])
  })

  it('only over https: a hub over plain http gives no updates', async () => {
    updates.setHub('ws://hub.lan:7300/api/ws')
    await vi.advanceTimersByTimeAsync(0)
    expect(updater.feeds).toEqual([])
    expect(fetched).toEqual([])
    expect(updates.state()).toEqual({
      state: 'error',
      message: '只从 https 的团队服务器更新（http://hub.lan:7300 不是）'
    })
  })
})
