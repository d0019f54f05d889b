import type { MonitorMode } from '../../../../shared/contract'
import { keepFlowing, micConstraints, routeToSpeaker } from './devices'

/**
 * What the customer hears from the desk: the operator's voice — the microphone and recorded prompts
 * (the recording disclosure) — and, when a supervisor barges in, the supervisor, mixed through
 * WebAudio. Both lines send this stream, and the recorder takes it as the operator's side, so
 * whatever the customer heard is in the recording. Muting silences the microphone only.
 *
 *   mic ─ micGain ─┐
 *   prompts ───────┴─ voice ─┬──────────────── sent ─ dest (to the customer; `sent` is what the recorder takes)
 *                            └─ monitorDest, left (a supervisor listening in; the customer on the right)
 *   supervisor ─┬─ toCustomer (强插) ─ sent
 *               └─ toHeadset (耳语, 强插) ─ the operator's headset
 */
export class OutgoingAudio {
  private monitorDest: MediaStreamAudioDestinationNode | null = null

  private constructor(
    private ctx: AudioContext,
    private mic: MediaStream,
    private micGain: GainNode,
    private voice: GainNode,
    private sent: GainNode,
    private dest: MediaStreamAudioDestinationNode
  ) {}

  static async open(): Promise<OutgoingAudio> {
    const mic = await navigator.mediaDevices.getUserMedia({ audio: micConstraints(), video: false })
    const ctx = new AudioContext()
    await ctx.resume()
    const micGain = ctx.createGain()
    const voice = ctx.createGain()
    const sent = ctx.createGain()
    const dest = ctx.createMediaStreamDestination()
    ctx.createMediaStreamSource(mic).connect(micGain).connect(voice).connect(sent).connect(dest)
    return new OutgoingAudio(ctx, mic, micGain, voice, sent, dest)
  }

  /** The call's one AudioContext: the simulated customer and the recorder use it too. */
  get context(): AudioContext {
    return this.ctx
  }

  get stream(): MediaStream {
    return this.dest.stream
  }

  /** The node whose output the stream carries: everything the customer hears from the desk. */
  get sentNode(): AudioNode {
    return this.sent
  }

  /**
   * The call for a supervisor listening in, as one stereo stream like the recording: the operator's
   * voice on the left (without the supervisor's own, who would hear themselves back a moment later),
   * the customer on the right. One stream, so the desk runs one encoder for it, not two.
   */
  monitorStream(customer: MediaStream): MediaStream {
    if (!this.monitorDest) {
      const merger = this.ctx.createChannelMerger(2)
      this.monitorDest = this.ctx.createMediaStreamDestination()
      this.monitorDest.channelCount = 2
      this.voice.connect(merger, 0, 0)
      this.ctx.createMediaStreamSource(customer).connect(merger, 0, 1)
      merger.connect(this.monitorDest)
    }
    return this.monitorDest.stream
  }

  /** A supervisor's voice on this call, routed by the monitoring mode. */
  joinSupervisor(stream: MediaStream, mode: MonitorMode): SupervisorVoice {
    return new SupervisorVoice(this.ctx, stream, this.sent, mode)
  }

  setMuted(muted: boolean): void {
    this.micGain.gain.value = muted ? 0 : 1
  }

  /** Plays a prompt to the customer; resolves when it has been played (or could not be). */
  async play(url: string): Promise<void> {
    const buf = await this.ctx.decodeAudioData(await (await fetch(url)).arrayBuffer())
    const src = this.ctx.createBufferSource()
    src.buffer = buf
    src.connect(this.voice)
    await new Promise<void>((resolve) => {
      src.onended = () => resolve()
      src.start()
    })
  }

  close(): void {
    this.mic.getTracks().forEach((t) => t.stop())
    this.dest.stream.getTracks().forEach((t) => t.stop())
    this.monitorDest?.stream.getTracks().forEach((t) => t.stop())
    void this.ctx.close().catch(() => {})
  }
}

/**
 * The supervisor in the operator's call: silent while listening (监听), in the operator's headset
 * only while whispering (耳语), and to the customer too while barging in (强插).
 */
export class SupervisorVoice {
  private holder: HTMLAudioElement
  private headset = new Audio()
  private src: MediaStreamAudioSourceNode
  private toCustomer: GainNode
  private toHeadset: GainNode
  private headsetDest: MediaStreamAudioDestinationNode

  constructor(
    private ctx: AudioContext,
    stream: MediaStream,
    customer: AudioNode,
    mode: MonitorMode
  ) {
    this.holder = keepFlowing(stream)
    this.src = ctx.createMediaStreamSource(stream)
    this.toCustomer = ctx.createGain()
    this.toHeadset = ctx.createGain()
    this.headsetDest = ctx.createMediaStreamDestination()
    this.setMode(mode, true)
    this.src.connect(this.toCustomer).connect(customer)
    this.src.connect(this.toHeadset).connect(this.headsetDest)
    this.headset.srcObject = this.headsetDest.stream
    void routeToSpeaker(this.headset).then(() => this.headset.play().catch(() => {}))
  }

  setMode(mode: MonitorMode, now = false): void {
    const set = (g: GainNode, v: number) => {
      if (now) g.gain.value = v
      // a short ramp, so a switch does not click in anyone's ear
      else g.gain.setTargetAtTime(v, this.ctx.currentTime, 0.01)
    }
    set(this.toCustomer, mode === 'barge' ? 1 : 0)
    set(this.toHeadset, mode === 'listen' ? 0 : 1)
  }

  close(): void {
    for (const n of [this.src, this.toCustomer, this.toHeadset])
      try {
        n.disconnect()
      } catch {
        // gone with the call's context
      }
    this.headset.srcObject = null
    this.holder.srcObject = null
    this.headsetDest.stream.getTracks().forEach((t) => t.stop())
  }
}

/** The recorded disclosure a campaign may ask to play on answer (resources/renderer/prompts). */
export const RECORDING_NOTICE_URL = 'prompts/recording-notice.wav'
