import { randomBytes } from 'node:crypto'
import type { Clock } from './clock'

export interface Offer {
  file: string
  /** File name the browser saves it under. */
  name: string
  contentType: string
  expiresAt: number
  deleteAfter: boolean
}

/**
 * Files a user may fetch over plain HTTP (exports, reports): core offers a file under an
 * unguessable, short-lived token, and the hub serves it. No path from the request ever
 * reaches the file system.
 */
export class DownloadStore {
  private offers = new Map<string, Offer>()
  constructor(private clock: Clock) {}

  offer(o: { file: string; name: string; contentType?: string; ttlMs?: number; deleteAfter?: boolean }): string {
    this.sweep()
    const token = randomBytes(24).toString('base64url')
    this.offers.set(token, {
      file: o.file,
      name: o.name,
      contentType: o.contentType ?? 'application/octet-stream',
      expiresAt: this.clock.now().getTime() + (o.ttlMs ?? 10 * 60_000),
      deleteAfter: o.deleteAfter ?? false
    })
    return token
  }

  get(token: string): Offer | undefined {
    const o = this.offers.get(token)
    if (!o) return undefined
    if (o.expiresAt <= this.clock.now().getTime()) {
      this.offers.delete(token)
      return undefined
    }
    return o
  }

  private sweep(): void {
    const now = this.clock.now().getTime()
    for (const [t, o] of this.offers) if (o.expiresAt <= now) this.offers.delete(t)
  }
}
