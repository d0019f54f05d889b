/* Loads the built Electron main bundle under plain Node with a stand-in `electron` module that
 * records what the bundle asks of Electron, then prints the record as JSON. The Electron
 * runtime cannot be downloaded on these machines; this checks the shell's wiring, not Electron. */
const Module = require('node:module')
const path = require('node:path')
const os = require('node:os')
const fs = require('node:fs')

const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'leadline-electron-'))
const rec = {
  singleInstanceLock: false,
  appEvents: [],
  windows: [],
  loaded: [],
  contentsEvents: [],
  windowOpen: null,
  ipcChannels: [],
  permissionRequests: {},
  permissionChecks: {},
  cspHeader: null,
  menu: null,
  errors: [],
  navigation: {},
  privilegedSchemes: [],
  protocolHandlers: [],
  dialogs: [],
  certificates: null,
  crashReporter: null,
  recovery: null,
  updateStates: [],
  osEncryptions: 0,
  ipcListeners: [],
  rendererLog: null,
  secretStorage: null,
  updates: null
}

/** electron-updater's autoUpdater as the app drives it: a check finds 9.9.9 and downloads it. */
const { EventEmitter } = require('node:events')
const updater = Object.assign(new EventEmitter(), {
  autoDownload: false,
  autoInstallOnAppQuit: false,
  feeds: [],
  checks: 0,
  installs: 0,
  setFeedURL(o) {
    this.feeds.push(o)
  },
  downloads: 0,
  async checkForUpdates() {
    this.checks++
    this.emit('checking-for-update')
    this.emit('update-available', { version: '9.9.9' })
    return null
  },
  async downloadUpdate() {
    this.downloads++
    this.emit('download-progress', { percent: 50 })
    this.emit('update-downloaded', { version: '9.9.9', downloadedFile: '/nonexistent/installer.exe' })
    return []
  },
  quitAndInstall() {
    this.installs++
  }
})
let verifyProc = null
const ipcHandlers = {}
const opened = []

function makeContents() {
  const handlers = {}
  return {
    id: 1,
    handlers,
    on(ev, fn) {
      rec.contentsEvents.push(ev)
      handlers[ev] = fn
    },
    once(ev, fn) {
      handlers[ev] = fn
    },
    setWindowOpenHandler(fn) {
      rec.windowOpen = fn({ url: 'https://example.com/' })
    },
    send(channel, payload) {
      if (channel === process.env.LEADLINE_TEST_UPDATE_STATE_CHANNEL) rec.updateStates.push(payload)
    },
    isDestroyed: () => false,
    forcefullyCrashRenderer() {
      rec.forcedCrash = true
      handlers['render-process-gone']?.({}, { reason: 'killed', exitCode: 9 })
    }
  }
}

class BrowserWindow {
  constructor(opts) {
    rec.windows.push(opts)
    this.webContents = makeContents()
    BrowserWindow.last = this
  }
  loadFile(f, opts) {
    rec.loaded.push(opts ? { file: f, ...opts } : { file: f })
    return Promise.resolve()
  }
  loadURL(u) {
    rec.loaded.push({ url: u })
    return Promise.resolve()
  }
  once() {}
  on() {}
  show() {}
  static getAllWindows() {
    return []
  }
}

const electron = {
  app: {
    // a packaged app (LEADLINE_STANDIN_PACKAGED=1) updates itself: electron-updater is the stand-in below
    isPackaged: process.env.LEADLINE_STANDIN_PACKAGED === '1',
    getPath: () => userData,
    getAppPath: () => process.cwd(),
    getVersion: () => '0.0.0-test',
    requestSingleInstanceLock() {
      rec.singleInstanceLock = true
      return true
    },
    on(ev) {
      rec.appEvents.push(ev)
    },
    whenReady: () => Promise.resolve(),
    quit() {},
    exit(code) {
      rec.errors.push('exit ' + code)
    },
    setAboutPanelOptions() {},
    showAboutPanel() {}
  },
  BrowserWindow,
  ipcMain: {
    handle(ch, fn) {
      rec.ipcChannels.push(ch)
      ipcHandlers[ch] = fn
    },
    removeHandler() {},
    on(ch, fn) {
      rec.ipcListeners.push(ch)
      ipcHandlers[ch] = fn
    }
  },
  session: {
    /** electron-updater's own session: the hub's trust goes on it too, and the app reads the signed release through it. */
    fromPartition(name, options) {
      rec.partitions = [...(rec.partitions ?? []), { name, options }]
      return {
        setCertificateVerifyProc(fn) {
          rec.updaterVerifyProc = typeof fn === 'function'
        },
        async fetch(url) {
          rec.updaterFetches = [...(rec.updaterFetches ?? []), url]
          // a release signed with a key that is not the one the app ships (what a hub in the middle would serve)
          const { generateKeyPairSync, sign } = require('node:crypto')
          const text = JSON.stringify({ product: 'LeadLine', version: '9.9.9', files: [] })
          const body = url.endsWith('.sig')
            ? sign(null, Buffer.from(text), generateKeyPairSync('ed25519').privateKey).toString('base64')
            : text
          return { ok: true, status: 200, text: async () => body }
        }
      }
    },
    defaultSession: {
      setPermissionRequestHandler(fn) {
        const ours = 'file://' + path.resolve('out/renderer/index.html')
        const ask = (permission, details) => new Promise((resolve) => fn(null, permission, resolve, details))
        Promise.all([
          ask('media', { requestingUrl: ours, mediaTypes: ['audio'] }),
          ask('media', { requestingUrl: ours, mediaTypes: ['video'] }),
          ask('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] }),
          ask('notifications', { requestingUrl: ours }),
          ask('geolocation', { requestingUrl: ours })
        ]).then(([mic, camera, foreignMic, notifications, geolocation]) => {
          rec.permissionRequests = { mic, camera, foreignMic, notifications, geolocation }
        })
      },
      setCertificateVerifyProc(fn) {
        verifyProc = fn
      },
      setPermissionCheckHandler(fn) {
        rec.permissionChecks = { foreignMedia: fn(null, 'media', 'https://evil.example') }
      },
      webRequest: {
        onHeadersReceived(fn) {
          fn({ responseHeaders: {} }, (r) => (rec.cspHeader = r.responseHeaders['Content-Security-Policy'][0]))
        }
      }
    }
  },
  // LEADLINE_STANDIN_SAFESTORAGE: the Linux backend safeStorage reports (unset: no encryption at all)
  safeStorage: {
    isEncryptionAvailable: () => !!process.env.LEADLINE_STANDIN_SAFESTORAGE,
    getSelectedStorageBackend: () => process.env.LEADLINE_STANDIN_SAFESTORAGE ?? 'unknown',
    encryptString(s) {
      rec.osEncryptions++
      return Buffer.from(s)
    },
    decryptString: (b) => b.toString()
  },
  shell: {
    openPath: (p) => {
      opened.push(p)
      return Promise.resolve('')
    }
  },
  crashReporter: {
    start(o) {
      rec.crashReporter = o
    }
  },
  protocol: {
    registerSchemesAsPrivileged(list) {
      rec.privilegedSchemes.push(...list)
    },
    handle(scheme) {
      rec.protocolHandlers.push(scheme)
    }
  },
  Menu: {
    buildFromTemplate(t) {
      rec.menu = t.map((m) => m.label)
      return {}
    },
    setApplicationMenu() {}
  },
  dialog: {
    showErrorBox(_t, msg) {
      rec.errors.push(msg)
    },
    // the user trusts hub.lan when asked and declines anything else
    showMessageBox(...a) {
      const o = a[a.length - 1]
      rec.dialogs.push({ type: o.type, message: o.message, detail: o.detail, buttons: o.buttons })
      return Promise.resolve({ response: o.type === 'question' && /hub\.lan/.test(o.message) ? 0 : 1 })
    }
  }
}

const realLoad = Module._load
Module._load = function (request, parent, isMain) {
  if (request === 'electron') return electron
  if (request === 'electron-updater') return { autoUpdater: updater }
  return realLoad.call(this, request, parent, isMain)
}

require(path.resolve(process.argv[2] || 'out/main/index.js'))

const started = Date.now()
const timer = setInterval(() => {
  const w = BrowserWindow.last
  if (
    (w && rec.ipcChannels.length && rec.permissionRequests.mic !== undefined) ||
    rec.errors.length ||
    Date.now() - started > 20000
  ) {
    clearInterval(timer)
    if (w) {
      let prevented = false
      w.webContents.handlers['will-navigate']?.({ preventDefault: () => (prevented = true) }, 'https://evil.example/')
      rec.navigation.foreignPrevented = prevented
      prevented = false
      w.webContents.handlers['will-navigate']?.(
        { preventDefault: () => (prevented = true) },
        'file://' + path.resolve('out/renderer/index.html') + '#/about'
      )
      rec.navigation.ownPrevented = prevented
      let webview = false
      w.webContents.handlers['will-attach-webview']?.({ preventDefault: () => (webview = true) })
      rec.navigation.webviewPrevented = webview
    }
    rec.dataDirCreated = fs.existsSync(path.join(userData, 'data', 'leadline.db'))
    // the page crashes, then (later) hangs: each time the window loads it again, saying why
    const recover = async () => {
      if (!w) return
      const h = w.webContents.handlers
      const before = rec.loaded.length
      h['render-process-gone']?.({}, { reason: 'clean-exit', exitCode: 0 })
      const afterClean = rec.loaded.length
      h['render-process-gone']?.({}, { reason: 'crashed', exitCode: 139 })
      const afterCrash = rec.loaded.slice(afterClean)
      h['unresponsive']?.()
      await new Promise((r) => setTimeout(r, 400)) // LEADLINE_RENDERER_HANG_MS in the test: 100
      const afterHang = rec.loaded.slice(afterClean + afterCrash.length)
      // one that answers again in time is left alone
      h['unresponsive']?.()
      h['responsive']?.()
      await new Promise((r) => setTimeout(r, 400))
      const logFile = path.join(userData, 'logs', 'leadline.log')
      rec.recovery = {
        cleanExitReloads: afterClean - before,
        afterCrash,
        afterHang,
        forcedCrash: !!rec.forcedCrash,
        reloadsAfterResponsive: rec.loaded.length - (afterClean + afterCrash.length + afterHang.length),
        log: fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''
      }
    }
    const finish = async () => {
      await recover()
      // 关于 → 打开日志文件夹, from our page and from a foreign one
      const openLogs = ipcHandlers[process.env.LEADLINE_TEST_OPEN_LOGS_CHANNEL]
      if (openLogs)
        rec.openLogs = {
          ours: await openLogs({ senderFrame: { url: 'file://' + path.resolve('out/renderer/index.html') } }),
          foreign: await openLogs({ senderFrame: { url: 'https://evil.example/' } }),
          opened: opened.map((p) => path.relative(userData, p))
        }
      // the page's errors go to renderer.log, masked; a foreign page's do not, and a flood is cut short
      const pageLog = ipcHandlers[process.env.LEADLINE_TEST_RENDERER_LOG_CHANNEL]
      if (pageLog) {
        const ours = { senderFrame: { url: 'file://' + path.resolve('out/renderer/index.html') } }
        pageLog(ours, 'error', 'TypeError: cannot dial 13807711234 (lead 12)')
        pageLog({ senderFrame: { url: 'https://evil.example/' } }, 'error', 'from a foreign page')
        for (let i = 0; i < 100; i++) pageLog(ours, 'warn', `flood ${i}`)
        const file = path.join(userData, 'logs', 'renderer.log')
        rec.rendererLog = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''
      }
      const storage = ipcHandlers[process.env.LEADLINE_TEST_SECRET_STORAGE_CHANNEL]
      if (storage)
        rec.secretStorage = {
          ours: await storage({ senderFrame: { url: 'file://' + path.resolve('out/renderer/index.html') } }),
          foreign: await storage({ senderFrame: { url: 'https://evil.example/' } })
        }
      // updates: the page says its hub; during a call (and wrap-up) a restart waits for it to end
      const updates = ipcHandlers[process.env.LEADLINE_TEST_UPDATES_CHANNEL]
      if (updates && electron.app.isPackaged) {
        const ours = { senderFrame: { url: 'file://' + path.resolve('out/renderer/index.html') } }
        const foreign = { senderFrame: { url: 'https://evil.example/' } }
        const r = {}
        r.foreignHub = await updates(foreign, 'hub', 'https://evil.example/')
        r.feedsAfterForeign = updater.feeds.length
        await updates(ours, 'hub', 'wss://hub.lan:7300/api/ws')
        await new Promise((res) => setTimeout(res, 50))
        r.feeds = updater.feeds
        r.checks = updater.checks
        r.downloads = updater.downloads
        r.autoDownload = updater.autoDownload
        r.state = await updates(ours, 'state')
        await updates(ours, 'call', true)
        r.autoInstallOnQuitDuringCall = updater.autoInstallOnAppQuit
        r.installDuringCall = await updates(ours, 'install')
        r.installsDuringCall = updater.installs
        await updates(ours, 'call', false)
        r.installsAfterCall = updater.installs
        rec.updates = r
      }
      process.stdout.write(JSON.stringify(rec) + '\n')
      fs.rmSync(userData, { recursive: true, force: true })
      process.exit(0)
    }
    // The hub's certificate, as Chromium would hand it to the verify proc (PEM files from the test).
    const [a, b] = [process.env.LEADLINE_TEST_CERT_A, process.env.LEADLINE_TEST_CERT_B]
    if (!verifyProc || !a || !b) return void finish()
    const pemA = fs.readFileSync(a, 'utf8')
    const pemB = fs.readFileSync(b, 'utf8')
    const verify = (hostname, data, verificationResult = 'net::ERR_CERT_AUTHORITY_INVALID') =>
      new Promise((resolve) =>
        verifyProc({ hostname, certificate: { data }, verificationResult, errorCode: -202 }, resolve)
      )
    ;(async () => {
      const results = {}
      results.firstAsked = await verify('hub.lan', pemA)
      results.dialogsAfterFirst = rec.dialogs.length
      results.sameAgain = await verify('hub.lan', pemA)
      results.dialogsAfterSame = rec.dialogs.length
      results.changed = await verify('hub.lan', pemB)
      results.systemTrusted = await verify('pbx.centre.example', pemB, 'net::OK')
      results.declined = await verify('other.lan', pemA)
      results.declinedAgainAsks = await verify('other.lan', pemA)
      results.trustFile = JSON.parse(fs.readFileSync(path.join(userData, 'trusted-hubs.json'), 'utf8'))
      results.trustFileMode = (fs.statSync(path.join(userData, 'trusted-hubs.json')).mode & 0o777).toString(8)
      rec.certificates = results
      await finish()
    })()
  }
}, 50)
