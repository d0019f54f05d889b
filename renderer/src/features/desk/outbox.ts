import type { ApiClient } from '../../api/client'
import { ApiError } from '../../api/errors'
import type { Input } from '../../../../shared/contract'

type OutcomeInput = Input<'desk.outcome'>

/**
 * Outcomes the desk could not deliver yet (the hub was away for a moment): kept on the seat and
 * sent again until core acknowledges them. Each carries its client id, so a resend after a lost
 * answer saves nothing twice.
 */
export class OutcomeOutbox {
  private key: string
  private flushing: Promise<void> | null = null

  /** Whether the hub is reachable now; while it is not, outcomes wait here without being sent. */
  private connected = true

  constructor(
    private api: ApiClient,
    userId: number
  ) {
    this.key = `leadline.outbox.${userId}`
    let was: string | null = null
    api.onStatus((s) => {
      this.connected = s === 'open'
      // back after a break (perhaps on a standby that took over): what the old hub acknowledged but had
      // not replicated yet is sent again; the hub saves each client id once
      if (s === 'open' && was === 'reconnecting') this.resendUnconfirmed()
      was = s
    })
    api.on('replication.confirmed', ({ upTo }) => this.confirmed(upTo))
  }

  /** Acknowledged by a replicating hub, not yet in its replica: kept, with the hub's time of the save. */
  unconfirmed(): (OutcomeInput & { savedAt: string })[] {
    try {
      return JSON.parse(localStorage.getItem(`${this.key}.acked`) ?? '[]') as (OutcomeInput & { savedAt: string })[]
    } catch {
      return []
    }
  }

  private saveUnconfirmed(items: (OutcomeInput & { savedAt: string })[]): void {
    if (items.length) localStorage.setItem(`${this.key}.acked`, JSON.stringify(items))
    else localStorage.removeItem(`${this.key}.acked`)
  }

  private acked(input: OutcomeInput, savedAt: string): void {
    if (!this.api.replicating?.()) return
    this.saveUnconfirmed([...this.unconfirmed().filter((p) => p.clientId !== input.clientId), { ...input, savedAt }])
  }

  private confirmed(upTo: string): void {
    const left = this.unconfirmed().filter((p) => p.savedAt > upTo)
    if (left.length !== this.unconfirmed().length) this.saveUnconfirmed(left)
  }

  private resendUnconfirmed(): void {
    const items = this.unconfirmed()
    if (!items.length) return
    this.saveUnconfirmed([])
    const waiting = this.pending()
    this.save([
      ...items
        .map(({ savedAt: _s, ...i }) => ({ ...i, resent: true }))
        .filter((i) => !waiting.some((w) => w.clientId === i.clientId)),
      ...waiting
    ])
    void this.flush()
  }

  private online(): boolean {
    return this.connected
  }

  pending(): OutcomeInput[] {
    try {
      return JSON.parse(localStorage.getItem(this.key) ?? '[]') as OutcomeInput[]
    } catch {
      return []
    }
  }

  /** Outcomes core refused when they were finally sent, with its reason: shown to the operator, never dropped silently. */
  failed(): { input: OutcomeInput; message: string }[] {
    try {
      return JSON.parse(localStorage.getItem(`${this.key}.failed`) ?? '[]') as {
        input: OutcomeInput
        message: string
      }[]
    } catch {
      return []
    }
  }

  saveFailed(items: { input: OutcomeInput; message: string }[]): void {
    if (items.length) localStorage.setItem(`${this.key}.failed`, JSON.stringify(items))
    else localStorage.removeItem(`${this.key}.failed`)
  }

  private save(items: OutcomeInput[]): void {
    if (items.length) localStorage.setItem(this.key, JSON.stringify(items))
    else localStorage.removeItem(this.key)
  }

  /**
   * Sends an outcome. A refusal by core (a missing field …) is thrown for the form to show; a lost
   * connection keeps it here and resolves 'queued'.
   */
  async submit(input: OutcomeInput): Promise<'saved' | 'queued'> {
    this.save([...this.pending().filter((p) => p.clientId !== input.clientId), input])
    if (!this.online()) return 'queued'
    try {
      const r = await this.api.invoke('desk.outcome', input)
      this.save(this.pending().filter((p) => p.clientId !== input.clientId))
      this.acked(input, r.savedAt)
      return 'saved'
    } catch (err) {
      if (err instanceof ApiError && err.code === 'UNAVAILABLE') return 'queued'
      this.save(this.pending().filter((p) => p.clientId !== input.clientId))
      throw err
    }
  }

  /** Sends what is waiting, oldest first; stops at the first lost connection. */
  flush(): Promise<void> {
    if (!this.online()) return Promise.resolve()
    if (this.flushing) return this.flushing
    // (cleared in .finally, which always runs after this assignment, even when nothing waits)
    this.flushing = (async () => {
      for (const item of this.pending()) {
        try {
          const r = await this.api.invoke('desk.outcome', item)
          this.acked(item, r.savedAt)
        } catch (err) {
          if (err instanceof ApiError && err.code === 'UNAVAILABLE') return
          // Refused for good (the lead was closed meanwhile …): kept aside for the operator to see, not resent.
          this.saveFailed([
            ...this.failed(),
            { input: item, message: err instanceof Error ? err.message : String(err) }
          ])
        }
        this.save(this.pending().filter((p) => p.clientId !== item.clientId))
      }
    })().finally(() => {
      this.flushing = null
    })
    return this.flushing
  }
}

/** A random v4 UUID; crypto.getRandomValues exists in every context (crypto.randomUUID only in secure ones). */
export function newClientId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
