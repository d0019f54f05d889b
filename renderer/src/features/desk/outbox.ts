import type { ApiClient } from '../../api/client'
import { ApiError } from '../../api/errors'
import type { Input } from '../../../../shared/contract'

type OutcomeInput = Input<'desk.outcome'>

/**
 * Outcomes the desk could not deliver yet (the hub was away for a moment): kept on the seat and
 * sent again until core acknowledges them. Each carries its client id, so a resend after a lost
 * answer saves nothing twice. Once acknowledged, an outcome is the client's like any write: kept in
 * its journal until the hub's replica holds it (api/journal.ts).
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
    api.onStatus((s) => {
      this.connected = s === 'open'
    })
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
      await this.api.invoke('desk.outcome', input, { clientId: input.clientId })
      this.save(this.pending().filter((p) => p.clientId !== input.clientId))
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
          await this.api.invoke('desk.outcome', item, { clientId: item.clientId })
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
