import { randomBytes } from 'node:crypto'
import { statSync } from 'node:fs'
import type { Clock } from './clock'

/**
 * Folders the desktop user picked in the system's folder dialog (Electron's main process), each
 * offered to core under a short-lived, single-use token: the page names a folder to export into
 * only by a token the dialog produced, never by a path.
 */
export class FolderGrants {
  private grants = new Map<string, { path: string; expiresAt: number }>()
  constructor(private clock: Clock) {}

  grant(path: string, ttlMs = 10 * 60_000): string {
    const token = randomBytes(18).toString('base64url')
    this.grants.set(token, { path, expiresAt: this.clock.now().getTime() + ttlMs })
    return token
  }

  /** The folder of a token, once; undefined when unknown, used, expired or gone. */
  take(token: string): string | undefined {
    const g = this.grants.get(token)
    this.grants.delete(token)
    if (!g || g.expiresAt <= this.clock.now().getTime()) return undefined
    try {
      return statSync(g.path).isDirectory() ? g.path : undefined
    } catch {
      return undefined
    }
  }
}
