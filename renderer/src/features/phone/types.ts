import type { OutgoingAudio } from './outgoing'
/** The one phone the rest of the UI uses, whatever line is behind it (SIP or the simulated line). */
export type LineState = 'unregistered' | 'registering' | 'registered' | 'failed'
export type CallState = 'idle' | 'dialing' | 'ringing' | 'established' | 'ended'

export type PhoneEvent =
  | { type: 'line'; state: LineState; reason?: string }
  | {
      type: 'call'
      state: CallState
      number: string
      cause?: string
      incoming?: boolean
      /** An inbound call the hub routed to this seat: its call id (the PBX's X-LeadLine-Call). */
      routed?: number
    }

export interface CallStats {
  packetsLost: number
  jitterMs: number
  roundTripMs: number
  bytesReceived: number
}

export interface Phone {
  readonly kind: 'sip' | 'simulated'
  register(): Promise<void>
  unregister(): Promise<void>
  /** @callerId: the number to show the customer (E.164, 外显), asked of the PBX; absent: the PBX's own. */
  call(number: string, callerId?: string | null): Promise<void>
  answer(): Promise<void>
  hangup(): Promise<void>
  setMuted(muted: boolean): void
  setHeld(held: boolean): Promise<void>
  sendDtmf(digits: string): void
  /** Plays a recorded prompt to the customer (and so into the recording), e.g. the recording disclosure. */
  playPrompt(url: string): Promise<void>
  on(listener: (e: PhoneEvent) => void): () => void
  stats(): Promise<CallStats | null>
  /** The AudioContext of the call's outgoing mix, shared with the recorder (one audio thread per call). */
  audioContext(): AudioContext | null
  /** The call's two sides, for the recorder: the operator (local) and the customer (remote). */
  media(): CallMedia | null
  /** The call's outgoing mix (for a supervisor monitoring the call), or null when there is no call. */
  outgoing(): OutgoingAudio | null
}

/**
 * A call's two sides as streams and, where the line has them, as the nodes of the call's own
 * AudioContext whose output those streams carry: the recorder taps a node directly instead of
 * taking its stream back into the same context (a stream's source is a FIFO and a resampler on the
 * audio thread for the whole call).
 */
export interface CallMedia {
  local: MediaStream
  remote: MediaStream
  localNode?: AudioNode
  remoteNode?: AudioNode
}

/** The listeners both lines keep. */
export class PhoneEvents {
  private listeners = new Set<(e: PhoneEvent) => void>()

  on(l: (e: PhoneEvent) => void): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }

  protected emit(e: PhoneEvent): void {
    this.listeners.forEach((l) => l(e))
  }
}
