import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  app,
  BrowserWindow,
  crashReporter,
  dialog,
  ipcMain,
  Menu,
  protocol,
  safeStorage,
  session,
  shell
} from 'electron'
import {
  IPC_OPEN_LOGS_CHANNEL,
  IPC_RENDERER_LOG_CHANNEL,
  IPC_SECRET_STORAGE_CHANNEL,
  IPC_UPDATE_STATE_CHANNEL,
  IPC_UPDATES_CHANNEL,
  MEDIA_SCHEME
} from '../../shared/contract'
import { autoUpdater } from 'electron-updater'
import { DesktopUpdates, type UpdaterLike } from './updates'
import { RELEASE_PUBLIC_KEY } from '../core/system/update-signing'
import { hashFile } from '../core/hash-file'

/** The session electron-updater fetches through (its NET_SESSION_NAME). */
const UPDATER_PARTITION = 'electron-updater'
import { serveMedia } from './media-protocol'
import { createCore, stderrLogger, type Core } from '../core'
import { KeyFileSecretBox, type SecretBox } from '../core/secrets'
import { registerIpc } from './ipc'
import { followLanHubSetting } from './lan-hub'
import { menuTemplate } from './menu'
import { hardenContents, hardenSession, keepRendererAlive, makeOriginCheck, windowOptions } from './window'
import { RotatingLog, teeLogger } from '../core/log-file'
import { fileTrustStore, installHubTrust } from './hub-trust'
import { translate } from '../../shared/i18n'

// Composition root of the desktop seat: everything else lives in core, the IPC transport
// and the window helpers.

const args = process.argv.slice(1)
const argValue = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

const rendererIndex = join(__dirname, '../renderer/index.html')
const preload = join(__dirname, '../preload/index.cjs')
const devServer = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const isOurs = makeOriginCheck(pathToFileURL(rendererIndex).href, devServer)

/**
 * better-sqlite3 is a native module and Electron's ABI differs from Node's. `npm start` builds a
 * copy for Electron beside the Node one (electron/tools/electron-native.mjs), so the tests keep
 * running under plain Node; a packaged app has that build in its node_modules (the afterPack
 * hook, electron/tools/after-pack.cjs, puts it there and checks its ABI).
 */
function electronSqliteBinding(): string | undefined {
  if (app.isPackaged) return undefined
  const file = join(app.getAppPath(), 'node_modules/.leadline-electron/better_sqlite3.node')
  return existsSync(file) ? file : undefined
}

// A desk's data (customers' details, recordings) is its user's alone: files 0600, folders 0700.
process.umask(0o077)
// Main's log: the terminal and a rotating file in the user data folder, personal data masked.
const logDir = join(app.getPath('userData'), 'logs')
const log = teeLogger(stderrLogger, new RotatingLog(logDir))
// Crash dumps stay on this machine (in the user data folder) unless someone sends them.
crashReporter.start({ uploadToServer: false, compress: true })

// Must be said before the app is ready: recordings stream through this scheme (range requests).
protocol.registerSchemesAsPrivileged([
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } }
])

/**
 * Where this desk's secrets at rest can be sealed: the OS keychain through Electron's safeStorage,
 * or — on Linux without a keyring, where safeStorage's `basic_text` backend “encrypts” with a key
 * written in Chromium's source — nowhere safer than LeadLine's own key file, which is said so.
 */
function secretStorage(): 'os' | 'basic_text' | 'none' {
  if (!safeStorage.isEncryptionAvailable()) return 'none'
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'basic_text'
  return 'os'
}

/**
 * On a desk, secrets at rest are sealed by the OS keychain where there is one; else by the key file
 * in the data folder (owner-only), as the hub does. Values sealed earlier either way still open.
 */
function desktopSecretBox(dataDir: string): SecretBox | undefined {
  const storage = secretStorage()
  if (storage === 'none') return undefined
  // the key file is read when first needed: on a first start the data folder does not exist yet
  let box: KeyFileSecretBox | null = null
  const keyFile = () => (box ??= new KeyFileSecretBox(dataDir))
  const open = (sealed: Buffer) =>
    sealed[0] === 2 ? safeStorage.decryptString(sealed.subarray(1)) : keyFile().open(sealed)
  if (storage === 'basic_text') return { seal: (plain) => keyFile().seal(plain), open }
  return { seal: (plain) => Buffer.concat([Buffer.from([2]), safeStorage.encryptString(plain)]), open }
}

let mainWindow: BrowserWindow | null = null
let core: Core | null = null

function showAbout(): void {
  app.setAboutPanelOptions({
    applicationName: 'LeadLine 线索通',
    applicationVersion: app.getVersion(),
    version: `Electron ${process.versions.electron ?? '?'} · Node ${process.versions.node}`
  })
  app.showAboutPanel()
}

function createWindow(): void {
  const win = new BrowserWindow(windowOptions(preload))
  mainWindow = win
  hardenContents(win.webContents, isOurs)
  win.once('ready-to-show', () => win.show())
  win.on('closed', () => {
    mainWindow = null
  })
  const hangMs = Number(process.env.LEADLINE_RENDERER_HANG_MS) || 15_000
  keepRendererAlive(
    win.webContents,
    (reason) => {
      if (devServer) void win.loadURL(`${devServer}?recovered=${reason}`)
      else void win.loadFile(rendererIndex, { query: { recovered: reason } })
    },
    log,
    hangMs
  )
  if (devServer) void win.loadURL(devServer)
  else void win.loadFile(rendererIndex)
}

function setMenu(c: Core): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate(c.settings().defaultLocale, process.platform === 'darwin', showAbout))
  )
}

async function start(): Promise<void> {
  await app.whenReady()
  const dataDir = argValue('--data') ?? join(app.getPath('userData'), 'data')
  core = await createCore({
    dataDir,
    host: 'desktop',
    appVersion: app.getVersion(),
    demo: !(args.includes('--no-demo') || process.env.LEADLINE_NO_DEMO === '1'),
    nativeBinding: electronSqliteBinding(),
    secretBox: desktopSecretBox(dataDir),
    exclusive: true,
    logger: log
  })
  const c = core
  hardenSession(session.defaultSession, isOurs)
  // A team hub's certificate: confirmed once by its fingerprint, refused when it changes.
  const trustFile = join(app.getPath('userData'), 'trusted-hubs.json')
  const say = (key: string, params?: Record<string, string>) => translate(c.settings().defaultLocale, key, params)
  // electron-updater fetches through a session of its own: it trusts the hub exactly as the desk does
  const updaterSession = app.isPackaged ? session.fromPartition(UPDATER_PARTITION, { cache: false }) : null
  const trustStore = fileTrustStore(trustFile)
  for (const ses of [session.defaultSession, ...(updaterSession ? [updaterSession] : [])])
    installHubTrust(
      ses,
      trustStore,
      async (host, fingerprint) => {
        const options = {
          type: 'question' as const,
          buttons: [say('desktop.trust.accept'), say('desktop.trust.cancel')],
          defaultId: 1,
          cancelId: 1,
          title: 'LeadLine',
          message: say('desktop.trust.ask', { host }),
          detail: say('desktop.trust.askDetail', { fingerprint })
        }
        const r = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options)
        return r.response === 0
      },
      (host, expected, got) =>
        void dialog.showMessageBox({
          type: 'warning',
          title: 'LeadLine',
          message: say('desktop.trust.changed', { host }),
          detail: say('desktop.trust.changedDetail', { expected, got, file: trustFile })
        })
    )
  registerIpc(
    ipcMain,
    c,
    (event) => isOurs(event.senderFrame?.url),
    async (sender) => {
      const win = BrowserWindow.fromWebContents(sender)
      const options = { properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] }
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
      return r.canceled || !r.filePaths[0] ? null : r.filePaths[0]
    }
  )
  // 关于 → 打开日志文件夹: for support, the folder of main's log (our own page only)
  ipcMain.handle(IPC_OPEN_LOGS_CHANNEL, async (event) =>
    isOurs(event.senderFrame?.url) ? (await shell.openPath(logDir)) === '' : false
  )
  // the page's errors, in their own rotating file beside main's (masked like it; a flood is cut short)
  const rendererLog = new RotatingLog(logDir, { name: 'renderer' })
  let budget = { until: 0, left: 0 }
  ipcMain.on(IPC_RENDERER_LOG_CHANNEL, (event, level: unknown, text: unknown) => {
    if (!isOurs(event.senderFrame?.url) || typeof text !== 'string') return
    const now = Date.now()
    if (now > budget.until) budget = { until: now + 10_000, left: 50 }
    if (budget.left-- <= 0) return
    ;(level === 'warn' ? rendererLog.warn : rendererLog.error).call(rendererLog, text.slice(0, 4000))
  })
  // 个人设置 says how this desk keeps its secrets (a Linux desk without a keyring is told so)
  ipcMain.handle(IPC_SECRET_STORAGE_CHANNEL, (event) => (isOurs(event.senderFrame?.url) ? secretStorage() : null))
  // Updates from the seat's hub (https://HUB/updates/): only the packaged app updates itself
  const updates = updaterSession ? packagedUpdates(updaterSession, say) : null
  ipcMain.handle(IPC_UPDATES_CHANNEL, (event, op: unknown, value: unknown) => {
    if (!isOurs(event.senderFrame?.url) || !updates) return null
    if (op === 'hub') updates.setHub(typeof value === 'string' && /^(https?|wss?):\/\//.test(value) ? value : null)
    else if (op === 'call') updates.setCallActive(value === true)
    else if (op === 'install') return updates.install()
    return updates.state()
  })
  protocol.handle(MEDIA_SCHEME, (request) => serveMedia(c, request))
  setMenu(c)
  c.events.subscribe((name, payload) => {
    if (name === 'settings.changed' && (payload as { keys: string[] }).keys.includes('defaultLocale')) setMenu(c)
  })
  const lanHub = followLanHubSetting(c, join(__dirname, '../renderer'), log)
  createWindow()

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
  app.on('before-quit', () => {
    void lanHub.stop().finally(() => c.close())
  })
}

/** electron-updater's updater for this app, its state pushed to the window. */
function packagedUpdates(
  ses: Electron.Session,
  say: (key: string, params?: Record<string, string>) => string
): DesktopUpdates | null {
  try {
    return new DesktopUpdates(
      autoUpdater as unknown as UpdaterLike,
      (s) => mainWindow?.webContents.send(IPC_UPDATE_STATE_CHANNEL, s),
      { info: (m) => log.info(m), warn: (m, err) => log.warn(m, err) },
      {
        publicKey: RELEASE_PUBLIC_KEY,
        appVersion: app.getVersion(),
        fetchText: async (url) => {
          const res = await ses.fetch(url)
          if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`)
          return res.text()
        },
        sha512: (file) => hashFile(file, 'sha512', 'base64'),
        say
      }
    )
  } catch (err) {
    log.error('updates unavailable', err)
    return null
  }
}

if (!app.requestSingleInstanceLock()) {
  // One seat per user: a second start brings the running one forward instead.
  app.quit()
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore()
      mainWindow.focus()
    }
  })
  app.on('web-contents-created', (_e, contents) => hardenContents(contents, isOurs))
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  start().catch((err: unknown) => {
    log.error('LeadLine could not start', err)
    const msg = err instanceof Error ? err.message : String(err)
    // Shown before any window exists (a database newer than the app, a locked data folder).
    dialog.showErrorBox('LeadLine', msg)
    app.exit(1)
  })
}
