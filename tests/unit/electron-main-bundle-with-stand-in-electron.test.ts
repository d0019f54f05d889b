import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { IPC_INVOKE_CHANNEL, IPC_PICK_FOLDER_CHANNEL, MEDIA_SCHEME } from '../../shared/contract'

/**
 * The Electron runtime cannot be downloaded on the development and CI machines, so this does
 * not run Electron. It loads the BUILT main bundle (out/main/index.js, from `npm run build`)
 * under Node with a stand-in `electron` module that records what the bundle asks for, and checks
 * the security options and wiring in that record.
 */
const bundle = resolve('out/main/index.js')

describe('built Electron main bundle, loaded under Node with a stand-in electron module', () => {
  it('exists (run `npm run build` first)', () => {
    expect(existsSync(bundle)).toBe(true)
  })

  const rec = existsSync(bundle)
    ? (JSON.parse(execFileSync(process.execPath, [resolve('tests/helpers/stand-in-electron.cjs'), bundle], { encoding: 'utf8', timeout: 60_000 })) as Record<string, any>)
    : null

  it('creates one window with contextIsolation and sandbox on, nodeIntegration off, and our preload', () => {
    expect(rec!.errors).toEqual([])
    expect(rec!.windows).toHaveLength(1)
    const wp = rec!.windows[0].webPreferences
    expect(wp).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true })
    expect(wp.preload).toMatch(/out[\\/]preload[\\/]index\.cjs$/)
    expect(existsSync(wp.preload)).toBe(true)
    expect(rec!.loaded).toEqual([{ file: resolve('out/renderer/index.html') }])
  })

  it('registers the one generic IPC handler on the contract’s channel', () => {
    expect(rec!.ipcChannels).toEqual([IPC_INVOKE_CHANNEL, IPC_PICK_FOLDER_CHANNEL])
  })

  it('takes the single-instance lock and opens its database under the user data folder', () => {
    expect(rec!.singleInstanceLock).toBe(true)
    expect(rec!.appEvents).toEqual(expect.arrayContaining(['second-instance', 'web-contents-created', 'window-all-closed']))
    expect(rec!.dataDirCreated).toBe(true)
  })

  it('blocks navigation away, new windows and webviews', () => {
    expect(rec!.windowOpen).toEqual({ action: 'deny' })
    expect(rec!.navigation).toEqual({ foreignPrevented: true, ownPrevented: false, webviewPrevented: true })
  })

  it('grants the microphone to our own page only, and nothing else', () => {
    expect(rec!.permissionRequests).toEqual({ mic: true, camera: false, foreignMic: false, notifications: false, geolocation: false })
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
    expect(rec!.privilegedSchemes).toEqual([{ scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } }])
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
