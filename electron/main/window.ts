import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../server/static'
import type { Logger } from '../core'

/** The renderer is our own bundle and nothing else: these options are the app's security floor. */
export function windowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: 'LeadLine',
    backgroundColor: '#f5f5f5',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false
    }
  }
}

/** Whether a URL belongs to our own renderer (the built files, or the dev server in development). */
export function makeOriginCheck(rendererIndexUrl: string, devServerUrl?: string) {
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : null
  const fileBase = rendererIndexUrl.replace(/[^/]*$/, '')
  return (url: string | undefined | null): boolean => {
    if (!url) return false
    if (devOrigin && url.startsWith(devOrigin + '/')) return true
    return url.startsWith(fileBase)
  }
}

/** No navigation away from the app, no new windows, no webviews. */
export function hardenContents(contents: WebContents, isOurs: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isOurs(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isOurs(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/**
 * Permissions: only the microphone (a softphone needs it), only for our own page. Everything
 * else (camera, notifications, geolocation …) is refused. The CSP is also sent as a header for
 * anything loaded over HTTP (the dev server).
 */
export function hardenSession(ses: Session, isOurs: (url: string) => boolean): void {
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const mediaTypes = (details as { mediaTypes?: string[] }).mediaTypes ?? []
    const audioOnly = mediaTypes.length > 0 && mediaTypes.every((t) => t === 'audio')
    callback(permission === 'media' && audioOnly && isOurs(details.requestingUrl))
  })
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => {
    return permission === 'media' && isOurs(requestingOrigin.endsWith('/') ? requestingOrigin : requestingOrigin + '/')
  })
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] }
    })
  })
}

/**
 * A renderer that crashes is reloaded at once; one that hangs (no answer for `hangMs`) is ended and
 * reloaded. The page comes back with `?recovered=crashed|hung` and says so; an operator's call
 * without its outcome comes back from core (desk.unfinished) with what was typed, kept on the seat.
 */
export function keepRendererAlive(
  contents: WebContents,
  reload: (reason: 'crashed' | 'hung') => void,
  logger: Logger,
  hangMs = 15_000
): void {
  let hung: ReturnType<typeof setTimeout> | null = null
  let killedForHang = false
  contents.on('render-process-gone', (_event, details) => {
    if (hung) clearTimeout(hung)
    hung = null
    if (details.reason === 'clean-exit') return
    logger.error(`the window's page ended (${details.reason}, exit code ${details.exitCode}); reloading it`)
    const reason = killedForHang ? 'hung' : 'crashed'
    killedForHang = false
    reload(reason)
  })
  contents.on('unresponsive', () => {
    if (hung) return
    hung = setTimeout(() => {
      hung = null
      logger.error(`the window's page has not answered for ${Math.round(hangMs / 1000)} s; restarting it`)
      killedForHang = true
      contents.forcefullyCrashRenderer()
    }, hangMs)
  })
  contents.on('responsive', () => {
    if (hung) clearTimeout(hung)
    hung = null
  })
}
