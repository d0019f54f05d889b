/**
 * The desktop's updates from the centre's own hub (`npx leadline updates publish` puts installers
 * and their feed at https://HUB/updates/): checked when the seat knows its hub and every few hours,
 * downloaded in the background with progress, installed on the next quit — and never while a call
 * is on: a restart asked for during a call waits, and a quit during a call does not install.
 * The updater is electron-updater's in the packaged app; this holds only the rules, so they are
 * tested without Electron.
 */
export interface UpdaterLike {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  setFeedURL(options: { provider: 'generic'; url: string }): void
  checkForUpdates(): Promise<unknown>
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void
  on(event: string, listener: (...args: never[]) => void): unknown
}

export type UpdateState =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'downloading'; version: string; percent: number }
  | { state: 'ready'; version: string; waitingForCall: boolean }
  | { state: 'error'; message: string }

export interface UpdateLog {
  info(msg: string): void
  warn(msg: string, err?: unknown): void
}

export const CHECK_EVERY_MS = 4 * 60 * 60 * 1000

export class DesktopUpdates {
  private hub: string | null = null
  private callActive = false
  private installAsked = false
  private current: UpdateState = { state: 'idle' }
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private updater: UpdaterLike,
    private send: (s: UpdateState) => void,
    private log: UpdateLog,
    private everyMs = CHECK_EVERY_MS
  ) {
    updater.autoDownload = true
    updater.autoInstallOnAppQuit = true
    updater.on('checking-for-update', () => this.set({ state: 'checking' }))
    updater.on('update-available', (info: { version: string }) =>
      this.set({ state: 'downloading', version: info.version, percent: 0 })
    )
    updater.on('update-not-available', () => this.set({ state: 'idle' }))
    updater.on('download-progress', (p: { percent: number }) => {
      if (this.current.state === 'downloading')
        this.set({ ...this.current, percent: Math.max(0, Math.min(100, Math.round(p.percent))) })
    })
    updater.on('update-downloaded', (info: { version: string }) => {
      this.log.info(`update ${info.version} downloaded; it installs when LeadLine quits`)
      this.set({ state: 'ready', version: info.version, waitingForCall: false })
    })
    updater.on('error', (err: Error) => {
      this.log.warn('update check failed', err)
      this.set({ state: 'error', message: err?.message ?? String(err) })
    })
  }

  state(): UpdateState {
    return this.current
  }

  /** The seat's hub (https://hub.lan:7300), or null for a seat on its own data: no hub, no updates. */
  setHub(url: string | null): void {
    // the page knows its hub by its WebSocket address (wss://hub.lan:7300/api/ws) or as typed
    const base = url
      ? url
          .replace(/^ws(s?):/, 'http$1:')
          .replace(/\/api\/ws$/, '')
          .replace(/\/+$/, '')
      : null
    if (base === this.hub) return
    this.hub = base
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    if (!base) return
    this.updater.setFeedURL({ provider: 'generic', url: `${base}/updates/` })
    void this.check()
    this.timer = setInterval(() => void this.check(), this.everyMs)
    this.timer.unref?.()
  }

  /** The desk's call started or ended. A restart asked for during the call happens when it ends. */
  setCallActive(active: boolean): void {
    this.callActive = active
    // a quit in the middle of a call (the window closed, the machine shutting down) does not install
    this.updater.autoInstallOnAppQuit = !active
    if (!active && this.installAsked && this.current.state === 'ready') this.install()
    else if (this.current.state === 'ready') this.set({ ...this.current, waitingForCall: active && this.installAsked })
  }

  /** “立即重启更新”: at once, or when the call on the desk ends. */
  install(): { waitingForCall: boolean } {
    if (this.current.state !== 'ready') return { waitingForCall: false }
    if (this.callActive) {
      this.installAsked = true
      this.set({ ...this.current, waitingForCall: true })
      return { waitingForCall: true }
    }
    this.installAsked = false
    this.log.info(`installing update ${this.current.version}`)
    this.updater.quitAndInstall(false, true)
    return { waitingForCall: false }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private async check(): Promise<void> {
    // nothing new while one is downloaded or waiting to install
    if (this.current.state === 'downloading' || this.current.state === 'ready') return
    try {
      await this.updater.checkForUpdates()
    } catch (err) {
      this.log.warn('update check failed', err)
      this.set({ state: 'error', message: (err as Error)?.message ?? String(err) })
    }
  }

  private set(s: UpdateState): void {
    this.current = s
    this.send(s)
  }
}
