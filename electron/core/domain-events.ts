/**
 * What one domain tells the others, inside core. The business chain is these events:
 *
 *   desk        outcome.saved      → qa (queues the call; holds a success at the gate, or passes it)
 *   recordings  recording.closed   → qa (the queue rules need the call's metrics)
 *   qa          qa.gatePassed      → dispatch (the success goes to its district's team)
 *   dispatch    dispatch.released  → the wallboard
 *   dispatch    visit.scheduled    → sms (the customer's message: the visit time, the agent)
 *   (any)       board.touched      → the wallboard (coalesced into the clients' board.changed)
 *
 * Subscribers run synchronously in the publisher's call — inside its transaction where it has one —
 * so a failing subscriber fails the write that published the event instead of leaving half a chain.
 * They are registered in the listening domain's own folder (its `subscribe` function), never here.
 */
import type { ConnectionState } from './context'
export interface DomainEventMap {
  /** An outcome was stored with its call (once per call; a resend is not saved again). */
  'outcome.saved': { callId: number | null; leadId: number; success: boolean; campaignId: number }
  /** A recording closed (done, or interrupted by a crash) and its metrics are stored. */
  'recording.closed': { recordingId: number; callId: number }
  /** A success may go to dispatch: its campaign has no QA gate, or its call passed review. */
  'qa.gatePassed': { leadId: number; reviewed: boolean }
  /** A success became a dispatch for a team. */
  'dispatch.released': { dispatchId: number; leadId: number; unit: string }
  /** A visit was given to a field agent (booked; again when given to another), or moved (changed): the customer is told (短信). */
  'visit.scheduled': { dispatchId: number; kind: 'visit_booked' | 'visit_changed' }
  /** A field agent reported a visit (visited, signed, not interested, absent). */
  'visit.reported': { dispatchId: number; leadId: number; result: string; policyNo: string | null }
  /** Something the wallboard shows changed (a method declared with `board: true`, a backup, a dispatch). */
  'board.touched': { reason: string }
  /** The softphone said its call ended (calls.end). */
  'call.ended': { callId: number; operatorId: number }
  /** A transport connection went away (a closed socket or window, heartbeats missed). */
  'connection.closed': { conn: ConnectionState; userId: number | null }
}

export type DomainEventName = keyof DomainEventMap

/** Tells outside systems of a business event (webhooks), in the caller's transaction. */
export type OutsideNotice = (type: 'complaint.opened' | 'followup.done', leadId: number | null, data: object) => void
type Subscriber<E extends DomainEventName> = (payload: DomainEventMap[E]) => void

export class DomainEvents {
  private subscribers = new Map<DomainEventName, Subscriber<never>[]>()
  private taps: ((name: DomainEventName, payload: unknown) => void)[] = []

  /** Sees every event as it is published, before its subscribers run (the trace of the chain, in order). */
  tap(fn: (name: DomainEventName, payload: unknown) => void): () => void {
    this.taps.push(fn)
    return () => this.taps.splice(this.taps.indexOf(fn), 1)
  }

  on<E extends DomainEventName>(name: E, subscriber: Subscriber<E>): () => void {
    const list = (this.subscribers.get(name) ?? []) as Subscriber<E>[]
    list.push(subscriber)
    this.subscribers.set(name, list as Subscriber<never>[])
    return () => {
      const i = list.indexOf(subscriber)
      if (i >= 0) list.splice(i, 1)
    }
  }

  publish<E extends DomainEventName>(name: E, payload: DomainEventMap[E]): void {
    for (const t of this.taps) t(name, payload)
    for (const s of [...((this.subscribers.get(name) ?? []) as Subscriber<E>[])]) s(payload)
  }

  /** Who listens to what, for the docs and the tests. */
  listeners(name: DomainEventName): number {
    return this.subscribers.get(name)?.length ?? 0
  }
}
