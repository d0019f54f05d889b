import { randomBytes } from 'node:crypto'
import type { Clock } from '../clock'

export interface MediaGrant {
  file: string
  /** The recording: when its local copy is gone (archived in the store), its bytes come from there. */
  recordingId?: number
  contentType: string
  userId: number
  /** The login that asked: the grant dies with it (logout, a disabled user, expiry). */
  sessionId: number
  expiresAt: number
}

/**
 * Short-lived grants to stream one recording, made after core checked who may listen. The hub
 * (HTTP range requests) and the desktop's privileged protocol both serve only through a grant:
 * no path ever comes from the request.
 */
export class MediaGrants {
  private grants = new Map<string, MediaGrant>()
  constructor(
    private clock: Clock,
    /** Whether a login session is still alive (not ended, not expired, its user not disabled). */
    private sessionAlive: (sessionId: number) => boolean = () => true
  ) {}

  grant(g: Omit<MediaGrant, 'expiresAt'>, ttlMs = 3_600_000): { token: string; expiresAt: Date } {
    const now = this.clock.now().getTime()
    for (const [t, x] of this.grants) if (x.expiresAt <= now) this.grants.delete(t)
    const token = randomBytes(24).toString('base64url')
    const expiresAt = now + ttlMs
    this.grants.set(token, { ...g, expiresAt })
    return { token, expiresAt: new Date(expiresAt) }
  }

  get(token: string): MediaGrant | undefined {
    const g = this.grants.get(token)
    if (!g || g.expiresAt <= this.clock.now().getTime()) return undefined
    // a bearer URL outlives nothing: logged out, disabled or expired, its stream ends
    if (g.sessionId !== 0 && !this.sessionAlive(g.sessionId)) {
      this.grants.delete(token)
      return undefined
    }
    return g
  }
}

/**
 * One byte range of a file of `size` bytes from a Range header: `{start, end}` inclusive, null
 * for the whole file, 'unsatisfiable' for a range outside it (RFC 9110 §14).
 */
export function parseRange(
  header: string | undefined | null,
  size: number
): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return null
  let start: number
  let end: number
  if (m[1] === '') {
    const suffix = Number(m[2])
    if (suffix === 0) return 'unsatisfiable'
    start = Math.max(0, size - suffix)
    end = size - 1
  } else {
    start = Number(m[1])
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  }
  if (start >= size || start > end) return 'unsatisfiable'
  return { start, end }
}
