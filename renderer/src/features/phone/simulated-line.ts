import { PhoneEvents, type CallMedia, type CallState, type Phone } from './types'
import { routeToSpeaker } from './devices'
import { OutgoingAudio } from './outgoing'

/**
 * 模拟线路: a customer who answers after a ring and speaks prepared lines (resources/sim, made with
 * espeak-ng), for training and for the demo on an installation without a PBX. Its audio is a real
 * stream, so the recorder works as on a real call; calls on it are marked simulated in core.
 */
const LINES = ['sim/hello.wav', 'sim/go-on.wav', 'sim/visit.wav']
const RING_MS = 1500
const GAP_MS = 1200

export class SimulatedLine extends PhoneEvents implements Phone {
  readonly kind = 'simulated' as const
  private out: OutgoingAudio | null = null
  private remote: { stream: MediaStream; node: AudioNode } | null = null
  private timers: ReturnType<typeof setTimeout>[] = []
  private state: CallState = 'idle'
  private number = ''
  private speaker = new Audio()

  private setState(state: CallState, cause?: string): void {
    this.state = state
    this.emit({ type: 'call', state, number: this.number, cause })
  }

  async register(): Promise<void> {
    this.emit({ type: 'line', state: 'registered' })
  }

  async unregister(): Promise<void> {
    this.emit({ type: 'line', state: 'unregistered' })
  }

  async call(number: string): Promise<void> {
    if (this.state === 'dialing' || this.state === 'ringing' || this.state === 'established')
      throw new Error('a call is in progress')
    this.number = number
    this.out = await OutgoingAudio.open()
    this.setState('dialing')
    this.timers.push(setTimeout(() => this.setState('ringing'), 300))
    this.timers.push(setTimeout(() => void this.pickUp(), RING_MS))
  }

  private async pickUp(): Promise<void> {
    const ctx = this.out?.context
    if (!ctx || this.state !== 'ringing') return
    const dest = ctx.createMediaStreamDestination()
    const customer = ctx.createGain()
    customer.connect(dest)
    this.remote = { stream: dest.stream, node: customer }
    this.speaker.srcObject = dest.stream
    await routeToSpeaker(this.speaker)
    void this.speaker.play().catch(() => {})
    this.setState('established')
    // The customer speaks the prepared lines one after another, with pauses between.
    let at = ctx.currentTime + 0.3
    for (const url of LINES) {
      try {
        const buf = await ctx.decodeAudioData(await (await fetch(url)).arrayBuffer())
        const src = ctx.createBufferSource()
        src.buffer = buf
        src.connect(customer)
        src.start(at)
        at += buf.duration + GAP_MS / 1000
      } catch {
        // a missing line leaves a silence, not a broken call
      }
    }
  }

  async answer(): Promise<void> {
    // The simulated customer only answers; there are no calls to answer from it.
  }

  async hangup(): Promise<void> {
    this.timers.forEach(clearTimeout)
    this.timers = []
    const was = this.state
    this.out?.close()
    this.out = null
    this.speaker.srcObject = null
    if (was !== 'idle' && was !== 'ended') this.setState('ended', was === 'established' ? 'operator' : 'cancelled')
  }

  setMuted(muted: boolean): void {
    this.out?.setMuted(muted)
  }

  async playPrompt(url: string): Promise<void> {
    await this.out?.play(url)
  }

  async setHeld(held: boolean): Promise<void> {
    this.setMuted(held)
  }

  sendDtmf(): void {}

  async stats() {
    return this.state === 'established' ? { packetsLost: 0, jitterMs: 0, roundTripMs: 0, bytesReceived: 0 } : null
  }

  audioContext(): AudioContext | null {
    return this.out?.context ?? null
  }

  outgoing(): OutgoingAudio | null {
    return this.out
  }

  media(): CallMedia | null {
    return this.out && this.remote
      ? {
          local: this.out.stream,
          remote: this.remote.stream,
          localNode: this.out.sentNode,
          remoteNode: this.remote.node
        }
      : null
  }
}
