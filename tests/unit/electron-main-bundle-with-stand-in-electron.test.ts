import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import {
  IPC_INVOKE_CHANNEL,
  IPC_OPEN_LOGS_CHANNEL,
  IPC_PICK_FOLDER_CHANNEL,
  IPC_RENDERER_LOG_CHANNEL,
  IPC_SECRET_STORAGE_CHANNEL,
  IPC_UPDATE_STATE_CHANNEL,
  IPC_UPDATES_CHANNEL,
  MEDIA_SCHEME
} from '../../shared/contract'

/**
 * The Electron runtime cannot be downloaded on the development and CI machines, so this does
 * not run Electron. It loads the BUILT main bundle (out/main/index.js, from `npm run build`)
 * under Node with a stand-in `electron` module that records what the bundle asks for, and checks
 * the security options and wiring in that record.
 */
const bundle = resolve('out/main/index.js')

/** Runs the built bundle under the stand-in with these settings; what it recorded (null: not built). */
function standIn(env: Record<string, string>): Record<string, any> | null {
  if (!existsSync(bundle)) return null
  const out = execFileSync(process.execPath, [resolve('tests/helpers/stand-in-electron.cjs'), bundle], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, LEADLINE_RENDERER_HANG_MS: '100', ...env }
  })
  return JSON.parse(out.trim().split('\n').pop()!)
}

describe('built Electron main bundle, loaded under Node with a stand-in electron module', () => {
  it('exists (run `npm run build` first)', () => {
    expect(existsSync(bundle)).toBe(true)
  })

  const rec = standIn({ LEADLINE_TEST_OPEN_LOGS_CHANNEL: IPC_OPEN_LOGS_CHANNEL })

  it('creates one window with contextIsolation and sandbox on, nodeIntegration off, and our preload', () => {
    expect(rec!.errors).toEqual([])
    expect(rec!.windows).toHaveLength(1)
    const wp = rec!.windows[0].webPreferences
    expect(wp).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true
    })
    expect(wp.preload).toMatch(/out[\\/]preload[\\/]index\.cjs$/)
    expect(existsSync(wp.preload)).toBe(true)
    // first load, then the two recoveries below
    expect(rec!.loaded[0]).toEqual({ file: resolve('out/renderer/index.html') })
  })

  it('reloads a page that crashed or hung, saying why, logs it to its file, and keeps crash dumps local', () => {
    const index = resolve('out/renderer/index.html')
    expect(rec!.recovery).toMatchObject({
      cleanExitReloads: 0,
      afterCrash: [{ file: index, query: { recovered: 'crashed' } }],
      afterHang: [{ file: index, query: { recovered: 'hung' } }],
      forcedCrash: true,
      reloadsAfterResponsive: 0
    })
    expect(rec!.recovery.log).toMatch(/ERROR the window's page ended \(crashed, exit code 139\)/)
    expect(rec!.recovery.log).toMatch(/ERROR the window's page has not answered/)
    expect(rec!.crashReporter).toMatchObject({ uploadToServer: false })
    // 关于 opens that log folder for our own page only
    expect(rec!.openLogs).toEqual({ ours: true, foreign: false, opened: ['logs'] })
  })

  it('registers the one generic IPC handler on the contract’s channel', () => {
    expect(rec!.ipcChannels).toEqual([
      IPC_INVOKE_CHANNEL,
      IPC_PICK_FOLDER_CHANNEL,
      IPC_OPEN_LOGS_CHANNEL,
      IPC_SECRET_STORAGE_CHANNEL,
      IPC_UPDATES_CHANNEL
    ])
  })

  it('takes the single-instance lock and opens its database under the user data folder', () => {
    expect(rec!.singleInstanceLock).toBe(true)
    expect(rec!.appEvents).toEqual(
      expect.arrayContaining(['second-instance', 'web-contents-created', 'window-all-closed'])
    )
    expect(rec!.dataDirCreated).toBe(true)
  })

  it('blocks navigation away, new windows and webviews', () => {
    expect(rec!.windowOpen).toEqual({ action: 'deny' })
    expect(rec!.navigation).toEqual({ foreignPrevented: true, ownPrevented: false, webviewPrevented: true })
  })

  it('grants the microphone to our own page only, and nothing else', () => {
    expect(rec!.permissionRequests).toEqual({
      mic: true,
      camera: false,
      foreignMic: false,
      notifications: false,
      geolocation: false
    })
    expect(rec!.permissionChecks).toEqual({ foreignMedia: false })
  })

  it('sends a strict CSP, and the page carries the same policy', () => {
    expect(rec!.cspHeader).toContain("script-src 'self'")
    expect(rec!.cspHeader).toContain("object-src 'none'")
    expect(rec!.cspHeader).not.toContain('unsafe-eval')
    const html = readFileSync(resolve('out/renderer/index.html'), 'utf8')
    expect(html).toMatch(/http-equiv="Content-Security-Policy"[^>]*script-src 'self';/)
  })

  it('streams recordings through a privileged scheme of its own, and nothing else', () => {
    expect(rec!.privilegedSchemes).toEqual([
      { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } }
    ])
    expect(rec!.protocolHandlers).toEqual([MEDIA_SCHEME])
    expect(rec!.cspHeader).toContain(`media-src 'self' blob: mediastream: ${MEDIA_SCHEME}:`)
  })

  it('builds the application menu in Chinese by default', () => {
    expect(rec!.menu).toEqual(expect.arrayContaining(['编辑', '视图', '窗口', '帮助']))
  })

  it('the sandboxed preload requires nothing but electron', () => {
    const preload = readFileSync(resolve('out/preload/index.cjs'), 'utf8')
    const requires = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])
    expect([...new Set(requires)]).toEqual(['electron'])
  })
})

describe('the desk trusts its team hub safely (certificate pinning in the main process, through the stand-in electron)', () => {
  it('asks on the first connection and remembers; the same certificate passes; a different one is refused with a warning in Chinese', async () => {
    const { ensureHubCertificate } = await import('../../electron/server/tls')
    const { tempDir } = await import('../helpers/core')
    const { X509Certificate } = await import('node:crypto')
    const { join } = await import('node:path')
    const tmp = tempDir()
    try {
      const a = await ensureHubCertificate(join(tmp.dir, 'a'), ['hub.lan'])
      const b = await ensureHubCertificate(join(tmp.dir, 'b'), ['hub.lan'])
      const rec = standIn({
        LEADLINE_TEST_CERT_A: join(tmp.dir, 'a', 'tls', 'server.crt'),
        LEADLINE_TEST_CERT_B: join(tmp.dir, 'b', 'tls', 'server.crt')
      })!
      const c = rec.certificates
      const fpA = new X509Certificate(a.cert).fingerprint256
      const fpB = new X509Certificate(b.cert).fingerprint256
      // first connection: the user is shown the fingerprint and trusts it
      expect(c.firstAsked).toBe(0)
      expect(c.dialogsAfterFirst).toBe(1)
      expect(rec.dialogs[0]).toMatchObject({
        type: 'question',
        message: '第一次连接团队服务器 hub.lan：请核对它的证书指纹',
        buttons: ['信任并连接', '取消']
      })
      expect(rec.dialogs[0].detail).toContain(fpA)
      // the same certificate passes without asking again
      expect(c.sameAgain).toBe(0)
      expect(c.dialogsAfterSame).toBe(1)
      // a different one is refused, with a warning naming both fingerprints
      expect(c.changed).toBe(-2)
      const warning = rec.dialogs.find((d: { type: string }) => d.type === 'warning')
      expect(warning.message).toBe('团队服务器 hub.lan 的证书和上次不同，已拒绝连接')
      expect(warning.detail).toContain(fpA)
      expect(warning.detail).toContain(fpB)
      // a certificate the system trusts is Chromium's to judge
      expect(c.systemTrusted).toBe(-3)
      // declined: refused, not remembered, asked again next time
      expect(c.declined).toBe(-2)
      expect(c.declinedAgainAsks).toBe(-2)
      expect(rec.dialogs.filter((d: { message: string }) => d.message.includes('other.lan'))).toHaveLength(2)
      expect(c.trustFile).toEqual({ 'hub.lan': fpA })
      expect(c.trustFileMode).toBe('600')
    } finally {
      tmp.cleanup()
    }
  })
})

describe('the packaged app’s updates, through the stand-in electron and electron-updater modules', () => {
  const run = standIn({
    LEADLINE_STANDIN_PACKAGED: '1',
    LEADLINE_TEST_UPDATES_CHANNEL: IPC_UPDATES_CHANNEL,
    LEADLINE_TEST_SECRET_STORAGE_CHANNEL: IPC_SECRET_STORAGE_CHANNEL,
    LEADLINE_TEST_RENDERER_LOG_CHANNEL: IPC_RENDERER_LOG_CHANNEL,
    LEADLINE_STANDIN_SAFESTORAGE: 'basic_text',
    LEADLINE_TEST_UPDATE_STATE_CHANNEL: IPC_UPDATE_STATE_CHANNEL
  }) as {
    updates: Record<string, unknown>
    updateStates: { state: string; percent?: number; waitingForCall?: boolean }[]
    ipcChannels: string[]
    secretStorage: { ours: string | null; foreign: string | null }
    osEncryptions: number
    rendererLog: string
    ipcListeners: string[]
  } | null

  it('checks the seat’s hub over its pinned session, and refuses a release not signed with the key the app ships', () => {
    expect(run!.ipcChannels).toContain(IPC_UPDATES_CHANNEL)
    const u = run!.updates
    // a foreign page cannot point the app at another server
    expect(u.foreignHub).toBeNull()
    expect(u.feedsAfterForeign).toBe(0)
    expect(u.feeds).toEqual([{ provider: 'generic', url: 'https://hub.lan:7300/updates/' }])
    // electron-updater's session trusts the hub as the desk does, and the signed release is read through it
    const rec = run as unknown as {
      partitions: { name: string }[]
      updaterVerifyProc: boolean
      updaterFetches: string[]
    }
    expect(rec.partitions.map((p) => p.name)).toEqual(['electron-updater'])
    expect(rec.updaterVerifyProc).toBe(true)
    expect(rec.updaterFetches).toEqual([
      'https://hub.lan:7300/updates/release.json',
      'https://hub.lan:7300/updates/release.json.sig'
    ])
    // the hub served 9.9.9 signed by another key: the updater is never asked, nothing downloads or installs
    expect(u.autoDownload).toBe(false)
    expect(u.checks).toBe(0)
    expect(u.downloads).toBe(0)
    expect(u.state).toEqual({ state: 'error', message: '团队服务器上的更新没有有效的签名，已拒绝（不会下载或安装）' })
    expect(u.installDuringCall).toEqual({ waitingForCall: false })
    expect(u.installsAfterCall).toBe(0)
    expect(run!.updateStates.map((s) => s.state)).toEqual(['error'])
  })

  it('on Linux without a keyring (basic_text) does not pretend: secrets go to the key file, and the page is told', () => {
    expect(run!.secretStorage).toEqual({ ours: 'basic_text', foreign: null })
    expect(run!.osEncryptions).toBe(0)
  })

  it('writes the page’s errors to renderer.log beside main’s, numbers masked, our page only, a flood cut short', () => {
    expect(run!.ipcListeners).toEqual([IPC_RENDERER_LOG_CHANNEL])
    const lines = run!.rendererLog.trim().split('\n')
    expect(lines[0]).toMatch(/ERROR TypeError: cannot dial 138\*\*\*\*1234 \(lead 12\)$/)
    expect(run!.rendererLog).not.toContain('13807711234')
    expect(run!.rendererLog).not.toContain('foreign page')
    // 50 lines in any 10 seconds
    expect(lines).toHaveLength(50)
  })
})
