import type { EventName, EventPayload } from '../../shared/contract'

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void

/** Core's in-process event bus; transports subscribe and forward to their clients. */
export class EventBus {
  private listeners = new Set<EventListener>()

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) {
      try {
        l(name, payload)
      } catch {
        // A failing subscriber must not break the write that emitted the event.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
