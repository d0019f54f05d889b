import type Database from 'better-sqlite3'
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Settings } from '../../../shared/contract'
import { dialString } from '../../../shared/domain/dialplan'
import { maskWith } from '../../../shared/domain/phone'
import type { Clock } from '../clock'
import type { SecretBox } from '../secrets'
import { SipRepo } from './repo'

/** What a desk's softphone dials: a token the PBX resolves, a dial string, or on the simulated line what it shows. */
export const DIAL_TOKEN_PREFIX = 'LL'
/** A token is resolved once, within this long of the dial (the INVITE follows at once). */
export const DIAL_TOKEN_TTL_MS = 60_000

interface Pending {
  callId: number
  sipUser: string
  dial: string
  expires: number
}

/** The PBX's answer: a status and a plain-text body (the number to dial, or why not). */
export interface PbxAnswer {
  status: 200 | 401 | 403 | 404 | 480 | 500
  body: string
}

/**
 * The number a desk dials goes to the PBX, not to the desk. With tokens on (the default), each
 * outside call gets a one-time token bound to the caller's SIP account; the softphone dials it and
 * the PBX asks the hub (`GET /pbx/dial/<token>?from=<sip user>`, with the centre's PBX key) for the
 * dial string, which the hub makes from the number and the centre's dial plan. A seat's SIP
 * password therefore dials nothing outside by itself, and the customer's number never reaches the
 * seat. A short internal extension (a colleague) is dialled as it is. With tokens off (a PBX that
 * cannot resolve them) the dial string goes to the seat.
 *
 * Tokens are kept in memory only: a hub that restarts forgets the unresolved ones, whose calls
 * the desk sees fail and dials again.
 */
export class PbxDial {
  private pending = new Map<string, Pending>()
  private repo: SipRepo

  constructor(
    db: Database.Database,
    private box: SecretBox,
    private settings: () => Settings,
    private clock: Clock
  ) {
    this.repo = new SipRepo(db)
  }

  /** What the softphone of this user dials for a number, on this line; null: a number that cannot be dialled. */
  target(userId: number, callId: number, number: string, trunkZero: boolean, line: 'sip' | 'simulated'): string | null {
    const s = this.settings()
    // the simulated line reaches no one: it shows the number as this operator may see it
    if (line === 'simulated') return maskWith(number, s.maskStyle)
    // (a desk without a SIP account has nothing to register with: its token resolves for no one)
    const account = this.repo.get(userId)?.account
    const dial = dialString(
      number,
      { outsidePrefix: account?.outsidePrefix ?? '', localAreaCode: s.areaCode },
      { trunkZero }
    )
    if (!dial) return null
    if (!s.telephony.pbxDialsByToken || /^\d{2,6}$/.test(dial)) return dial
    this.sweep()
    const token = `${DIAL_TOKEN_PREFIX}${randomBytes(12).toString('hex')}`
    this.pending.set(token, {
      callId,
      sipUser: account?.sipUser ?? '',
      dial,
      expires: this.clock.now().getTime() + DIAL_TOKEN_TTL_MS
    })
    return token
  }

  tokensOn(): boolean {
    return this.settings().telephony.pbxDialsByToken
  }

  /** The PBX resolves a token: once, by the account it was given to, within its minute, with the key. */
  resolve(authorization: string | undefined, token: string, from: string): PbxAnswer & { callId?: number } {
    if (!this.authorized(authorization)) return { status: 401, body: 'bad PBX key' }
    this.sweep()
    const p = this.pending.get(token)
    if (!p) return { status: 404, body: 'unknown, used or expired token' }
    if (!from || p.sipUser !== from) return { status: 403, body: 'token of another SIP account' }
    this.pending.delete(token)
    return { status: 200, body: p.dial, callId: p.callId }
  }

  /** The centre's PBX key, made on first use; rotated on demand (the old one stops at once). */
  key(rotate = false): string {
    const row = this.repo.pbxKeySealed()
    if (row && !rotate) return this.box.open(row)
    const key = randomBytes(24).toString('base64url')
    this.repo.setPbxKey(this.box.seal(key), this.clock.now().toISOString())
    return key
  }

  /** The request carries the centre's PBX key (`Authorization: Bearer <key>`). */
  authorized(authorization: string | undefined): boolean {
    const given = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1]
    return !!given && this.keyMatches(given)
  }

  private keyMatches(given: string): boolean {
    const row = this.repo.pbxKeySealed()
    if (!row) return false
    const digest = (k: string) => createHash('sha256').update(k).digest()
    return timingSafeEqual(digest(given), digest(this.box.open(row)))
  }

  /** Drops the expired tokens: the oldest first (a Map keeps the order they were given in), up to the first still good. */
  private sweep(): void {
    const now = this.clock.now().getTime()
    for (const [t, p] of this.pending) {
      if (p.expires > now) break
      this.pending.delete(t)
    }
  }
}
