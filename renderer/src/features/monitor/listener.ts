import type { MonitorMode } from '../../../../shared/contract'
import type { ApiClient } from '../../api/client'
import { keepFlowing, micConstraints, routeToSpeaker } from '../phone/devices'
import { gathered, monitorCodec, newPeer } from './webrtc'

/**
 * The supervisor's end of a monitoring session: plays the operator on the left and the customer on
 * the right (as the recordings have them), and sends the supervisor's microphone back — silenced
 * while listening, so neither the operator nor the customer hears anything of the supervisor.
 */
export class MonitorListener {
  private pc = newPeer()
  private ctx = new AudioContext()
  private mic: MediaStream | null = null
  private sender: RTCRtpSender | null = null
  private out = new Audio()
  private holder: HTMLAudioElement | null = null
  private analysers: [AnalyserNode, AnalyserNode] | null = null
  private closed = false

  constructor(
    private api: ApiClient,
    readonly sessionId: number,
    private mode: MonitorMode
  ) {}

  /** Whether the supervisor's microphone could be opened (whisper and barge need it). */
  get canSpeak(): boolean {
    return this.mic !== null
  }

  /** Answers the desk's offer: the call starts playing as soon as the connection is up. */
  async accept(offer: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer })
    const [call] = this.pc.getTransceivers()
    if (!call) throw new Error('the desk offered no call')
    try {
      // a page that is not a secure context has no microphone: listening still works
      this.mic = navigator.mediaDevices
        ? await navigator.mediaDevices.getUserMedia({ audio: micConstraints(), video: false })
        : null
    } catch {
      this.mic = null
    }
    if (this.closed) return this.release()
    this.sender = call.sender
    if (this.mic) {
      // listening sends nothing at all (no packets for the desk to decode); the microphone is
      // put on the line when the supervisor whispers or barges in, without renegotiating
      await this.sender.replaceTrack(this.mode === 'listen' ? null : this.mic.getAudioTracks()[0])
      call.direction = 'sendrecv'
    } else call.direction = 'recvonly'
    this.play(call.receiver.track)
    const answer = await this.pc.createAnswer()
    // the call comes in stereo (operator left, customer right): say this page takes stereo
    await this.pc.setLocalDescription({ type: 'answer', sdp: monitorCodec(answer.sdp ?? '') })
    const sdp = await gathered(this.pc)
    if (this.closed) return
    await this.api.invoke('monitor.signal', { sessionId: this.sessionId, signal: { type: 'answer', sdp } })
  }

  private play(call: MediaStreamTrack): void {
    void this.ctx.resume()
    const stream = new MediaStream([call])
    this.holder = keepFlowing(stream)
    const src = this.ctx.createMediaStreamSource(stream)
    const dest = this.ctx.createMediaStreamDestination()
    dest.channelCount = 2
    src.connect(dest)
    const split = this.ctx.createChannelSplitter(2)
    src.connect(split)
    const meters = [0, 1].map((channel) => {
      const a = this.ctx.createAnalyser()
      a.fftSize = 1024
      split.connect(a, channel)
      return a
    })
    this.analysers = [meters[0], meters[1]]
    this.out.srcObject = dest.stream
    void routeToSpeaker(this.out).then(() => this.out.play().catch(() => {}))
  }

  /** The connection to the desk: 'connected' once audio can flow. */
  get state(): RTCPeerConnectionState {
    return this.pc.connectionState
  }

  onState(cb: (s: RTCPeerConnectionState) => void): void {
    this.pc.addEventListener('connectionstatechange', () => cb(this.pc.connectionState))
  }

  /** Loudness of each side now (0–1), for the meters. */
  levels(): { operator: number; customer: number } {
    const rms = (a: AnalyserNode | undefined) => {
      if (!a) return 0
      const buf = new Float32Array(a.fftSize)
      a.getFloatTimeDomainData(buf)
      let s = 0
      for (const v of buf) s += v * v
      return Math.min(1, Math.sqrt(s / buf.length) * 4)
    }
    return { operator: rms(this.analysers?.[0]), customer: rms(this.analysers?.[1]) }
  }

  async setMode(mode: MonitorMode): Promise<void> {
    this.mode = mode
    const track = this.mic?.getAudioTracks()[0]
    if (track && this.sender) await this.sender.replaceTrack(mode === 'listen' ? null : track)
  }

  private release(): void {
    this.mic?.getTracks().forEach((t) => t.stop())
    this.mic = null
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.release()
    this.pc.close()
    this.out.srcObject = null
    if (this.holder) this.holder.srcObject = null
    void this.ctx.close().catch(() => {})
  }
}
