import { micConstraints } from './devices'

/**
 * What the customer hears from the desk: the operator's microphone, and recorded prompts (the
 * recording disclosure) mixed in through WebAudio. Both lines send this stream, and the recorder
 * takes it as the operator's side, so a prompt played to the customer is in the recording too.
 * Muting silences the microphone only.
 */
export class OutgoingAudio {
  private constructor(
    private ctx: AudioContext,
    private mic: MediaStream,
    private micGain: GainNode,
    private dest: MediaStreamAudioDestinationNode
  ) {}

  static async open(): Promise<OutgoingAudio> {
    const mic = await navigator.mediaDevices.getUserMedia({ audio: micConstraints(), video: false })
    const ctx = new AudioContext()
    await ctx.resume()
    const micGain = ctx.createGain()
    const dest = ctx.createMediaStreamDestination()
    ctx.createMediaStreamSource(mic).connect(micGain).connect(dest)
    return new OutgoingAudio(ctx, mic, micGain, dest)
  }

  /** The call's one AudioContext: the simulated customer and the recorder use it too. */
  get context(): AudioContext {
    return this.ctx
  }

  get stream(): MediaStream {
    return this.dest.stream
  }

  setMuted(muted: boolean): void {
    this.micGain.gain.value = muted ? 0 : 1
  }

  /** Plays a prompt to the customer; resolves when it has been played (or could not be). */
  async play(url: string): Promise<void> {
    const buf = await this.ctx.decodeAudioData(await (await fetch(url)).arrayBuffer())
    const src = this.ctx.createBufferSource()
    src.buffer = buf
    src.connect(this.dest)
    await new Promise<void>((resolve) => {
      src.onended = () => resolve()
      src.start()
    })
  }

  close(): void {
    this.mic.getTracks().forEach((t) => t.stop())
    this.dest.stream.getTracks().forEach((t) => t.stop())
    void this.ctx.close().catch(() => {})
  }
}

/** The recorded disclosure a campaign may ask to play on answer (resources/renderer/prompts). */
export const RECORDING_NOTICE_URL = 'prompts/recording-notice.wav'
