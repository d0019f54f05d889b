import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import type { Clock } from './clock'

export interface Offer {
  file: string
  /** File name the browser saves it under. */
  name: string
  contentType: string
  expiresAt: number
  deleteAfter: boolean
  /** Who it was offered to: only they may read it through the contract. */
  userId: number | null
  /** The login session it was offered in: a link stops working when that session ends (a logout). */
  sessionId: number | null
}

/**
 * Files a user may fetch over plain HTTP (exports, reports): core offers a file under an
 * unguessable, short-lived token, and the hub serves it. No path from the request ever
 * reaches the file system.
 */
export class DownloadStore {
  private offers = new Map<string, Offer>()
  constructor(
    private clock: Clock,
    /** Whether a login session is still alive (not ended, not expired, its user not disabled). */
    private sessionAlive: (sessionId: number) => boolean = () => true
  ) {}

  offer(o: {
    file: string
    name: string
    contentType?: string
    ttlMs?: number
    deleteAfter?: boolean
    userId?: number | null
    sessionId?: number | null
  }): string {
    this.sweep()
    const token = randomBytes(24).toString('base64url')
    this.offers.set(token, {
      file: o.file,
      name: o.name,
      contentType: o.contentType ?? 'application/octet-stream',
      expiresAt: this.clock.now().getTime() + (o.ttlMs ?? 10 * 60_000),
      deleteAfter: o.deleteAfter ?? false,
      userId: o.userId ?? null,
      sessionId: o.sessionId ?? null
    })
    return token
  }

  get(token: string): Offer | undefined {
    this.sweep()
    const o = this.offers.get(token)
    if (o?.sessionId && !this.sessionAlive(o.sessionId)) {
      this.offers.delete(token)
      if (o.deleteAfter) rmSync(o.file, { force: true })
      return undefined
    }
    return o
  }

  /** Expired offers go; files made only to be downloaded (reports) go with them. */
  private sweep(): void {
    const now = this.clock.now().getTime()
    for (const [t, o] of this.offers) {
      if (o.expiresAt > now) continue
      this.offers.delete(t)
      if (o.deleteAfter) rmSync(o.file, { force: true })
    }
  }
}
