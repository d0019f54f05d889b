import {
  compareVersions,
  MANIFEST_FILE,
  SIGNATURE_FILE,
  verifiedManifest,
  type ReleaseManifest
} from '../core/system/update-signing'

/**
 * The desktop's updates from the centre's own hub (`npx leadline updates publish` puts installers
 * and their feed at https://HUB/updates/): checked when the seat knows its hub and every few hours,
 * downloaded in the background with progress, installed on the next quit — and never while a call
 * is on: a restart asked for during a call waits, and a quit during a call does not install.
 *
 * Nobody who can answer for the hub can ship code: only over https (the hub's pinned certificate,
 * electron-updater's session trusts it like the desk's), and only a release signed with the key the
 * app ships — its manifest is verified before anything is downloaded, the downloaded installer's
 * SHA-512 against it before it may install, and a version not newer than this one is refused.
 * The updater is electron-updater's in the packaged app; this holds only the rules, so they are
 * tested without Electron.
 */
export interface UpdaterLike {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  setFeedURL(options: { provider: 'generic'; url: string }): void
  checkForUpdates(): Promise<unknown>
  downloadUpdate(): Promise<unknown>
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

/** What the rules need from the app: the key it ships, its version, the hub's files, a file's SHA-512. */
export interface UpdateTrust {
  publicKey: string
  appVersion: string
  /** A file of the hub's feed (through the updater's session: the hub's pinned certificate). */
  fetchText(url: string): Promise<string>
  /** base64 SHA-512 of a downloaded file. */
  sha512(file: string): Promise<string>
  /** The words for a refusal, in the seat's language. */
  say(key: string, params?: Record<string, string>): string
}

export class DesktopUpdates {
  private hub: string | null = null
  private callActive = false
  private installAsked = false
  private current: UpdateState = { state: 'idle' }
  private timer: ReturnType<typeof setInterval> | null = null

  /** The signed release being fetched, and whether its downloaded installer matched it. */
  private release: ReleaseManifest | null = null
  private verified = false

  constructor(
    private updater: UpdaterLike,
    private send: (s: UpdateState) => void,
    private log: UpdateLog,
    private trust: UpdateTrust,
    private everyMs = CHECK_EVERY_MS
  ) {
    // nothing is downloaded before the signed manifest says so, nothing installs before the file matches it
    updater.autoDownload = false
    updater.autoInstallOnAppQuit = false
    updater.on('checking-for-update', () => this.set({ state: 'checking' }))
    updater.on('update-available', (info: { version: string }) => {
      if (!this.release || info.version !== this.release.version) {
        this.log.warn(`the feed offers ${info.version}, not the signed release ${this.release?.version ?? '-'}`)
        return this.set({ state: 'error', message: this.trust.say('errors.updatesNotSigned') })
      }
      this.set({ state: 'downloading', version: info.version, percent: 0 })
      this.updater.downloadUpdate().catch((err: unknown) => {
        this.log.warn('update download failed', err)
        this.set({ state: 'error', message: (err as Error)?.message ?? String(err) })
      })
    })
    updater.on('update-not-available', () => this.set({ state: 'idle' }))
    updater.on('download-progress', (p: { percent: number }) => {
      if (this.current.state === 'downloading')
        this.set({ ...this.current, percent: Math.max(0, Math.min(100, Math.round(p.percent))) })
    })
    updater.on('update-downloaded', (info: { version: string; downloadedFile?: string }) => {
      void this.downloaded(info)
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
    if (!base.startsWith('https://')) {
      this.log.warn(`no updates from ${base}: not https`)
      return this.set({ state: 'error', message: this.trust.say('errors.updatesNeedHttps', { url: base }) })
    }
    this.updater.setFeedURL({ provider: 'generic', url: `${base}/updates/` })
    void this.check()
    this.timer = setInterval(() => void this.check(), this.everyMs)
    this.timer.unref?.()
  }

  /** The desk's call started or ended. A restart asked for during the call happens when it ends. */
  setCallActive(active: boolean): void {
    this.callActive = active
    // a quit in the middle of a call (the window closed, the machine shutting down) does not install
    this.updater.autoInstallOnAppQuit = !active && this.verified
    if (!active && this.installAsked && this.current.state === 'ready') this.install()
    else if (this.current.state === 'ready') this.set({ ...this.current, waitingForCall: active && this.installAsked })
  }

  /** “立即重启更新”: at once, or when the call on the desk ends. */
  install(): { waitingForCall: boolean } {
    if (this.current.state !== 'ready' || !this.verified) return { waitingForCall: false }
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
      // the signed manifest first: no valid signature, or no newer version, and the updater is not asked
      const feed = `${this.hub}/updates/`
      const [text, signature] = await Promise.all([
        this.trust.fetchText(feed + MANIFEST_FILE),
        this.trust.fetchText(feed + SIGNATURE_FILE)
      ])
      const release = verifiedManifest(text, signature, this.trust.publicKey)
      if (!release) {
        this.log.warn('the hub’s release manifest does not verify with the shipped key')
        return this.set({ state: 'error', message: this.trust.say('errors.updatesNotSigned') })
      }
      if (compareVersions(release.version, this.trust.appVersion) <= 0) {
        this.release = null
        return this.set({ state: 'idle' })
      }
      this.release = release
      await this.updater.checkForUpdates()
    } catch (err) {
      this.log.warn('update check failed', err)
      this.set({ state: 'error', message: (err as Error)?.message ?? String(err) })
    }
  }

  /** The installer on disk is the signed one (its SHA-512 in the manifest), or it never installs. */
  private async downloaded(info: { version: string; downloadedFile?: string }): Promise<void> {
    const release = this.release
    let ok = false
    try {
      if (release && info.version === release.version && info.downloadedFile) {
        // the updater keeps it under a cache name of its own: the content is what was signed
        const hash = await this.trust.sha512(info.downloadedFile)
        ok = release.files.some((f) => f.sha512 === hash)
      }
    } catch (err) {
      this.log.warn('could not check the downloaded update', err)
    }
    this.verified = ok
    this.updater.autoInstallOnAppQuit = ok && !this.callActive
    if (!ok) {
      this.log.warn(`update ${info.version} does not match the signed release: not installed`)
      return this.set({ state: 'error', message: this.trust.say('errors.updatesFileMismatch') })
    }
    this.log.info(`update ${info.version} downloaded and verified; it installs when LeadLine quits`)
    this.set({ state: 'ready', version: info.version, waitingForCall: false })
  }

  private set(s: UpdateState): void {
    this.current = s
    this.send(s)
  }
}
