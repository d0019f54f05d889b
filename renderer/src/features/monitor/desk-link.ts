import type { EventPayload, MonitorMode } from '../../../../shared/contract'
import type { ApiClient } from '../../api/client'
import type { OutgoingAudio, SupervisorVoice } from '../phone/outgoing'
import type { Phone } from '../phone/types'
import { gathered, monitorCodec, newPeer } from './webrtc'

type DeskEvent = EventPayload<'monitor.desk'>

/**
 * The desk's end of a monitoring session: sends the call to the supervisor's page as one stereo
 * track — the operator's voice (with prompts) on the left, the customer on the right — and takes
 * the supervisor's voice back on the same transceiver, into the headset and/or the customer's
 * direction by mode (see OutgoingAudio).
 */
export class DeskMonitorLink {
  private voice: SupervisorVoice | null = null
  /** The supervisor's voice as it arrives; played into the call only while whispering or barging in. */
  private supervisor: MediaStream | null = null
  private out: OutgoingAudio | null = null
  private closed = false

  private constructor(
    readonly sessionId: number,
    private pc: RTCPeerConnection,
    private mode: MonitorMode
  ) {}

  /** Offers the call to the supervisor; null (declined, said to core) when this desk has no such call. */
  static async open(
    api: ApiClient,
    phone: Phone,
    e: DeskEvent,
    callId: number | null
  ): Promise<DeskMonitorLink | null> {
    const decline = (reason: 'noCall' | 'noMedia') => DeskMonitorLink.decline(api, e.sessionId, reason)
    if (callId !== e.callId) {
      await decline('noCall')
      return null
    }
    const out = phone.outgoing()
    const remote = phone.media()?.remote
    if (!out || !remote?.getAudioTracks().length) {
      await decline('noMedia')
      return null
    }
    const pc = newPeer()
    const link = new DeskMonitorLink(e.sessionId, pc, e.mode)
    pc.addTransceiver(out.monitorStream(remote).getAudioTracks()[0], { direction: 'sendrecv' })
    pc.ontrack = (t) => {
      if (link.closed) return
      link.supervisor = new MediaStream([t.track])
      link.setMode(link.mode)
    }
    link.out = out
    await pc.setLocalDescription(await pc.createOffer())
    const sdp = await gathered(pc)
    if (link.closed) return null
    await api.invoke('monitor.signal', { sessionId: e.sessionId, signal: { type: 'offer', sdp } })
    return link
  }

  /** Tells the supervisor's page (through core) that this desk cannot give the call. */
  static async decline(api: ApiClient, sessionId: number, reason: 'noCall' | 'noMedia'): Promise<void> {
    await api.invoke('monitor.signal', { sessionId, signal: { type: 'decline', reason } }).catch(() => {})
  }

  async answer(sdp: string): Promise<void> {
    if (this.closed || this.pc.signalingState !== 'have-local-offer') return
    await this.pc.setRemoteDescription({ type: 'answer', sdp: monitorCodec(sdp) })
  }

  /**
   * Listening keeps nothing of the supervisor in the call's audio (the supervisor's page sends
   * nothing then either), so a listened-to call costs the desk only the sending of its two sides.
   */
  setMode(mode: MonitorMode): void {
    this.mode = mode
    if (mode === 'listen') {
      this.voice?.close()
      this.voice = null
    } else if (this.voice) this.voice.setMode(mode)
    else if (this.supervisor && this.out && !this.closed) this.voice = this.out.joinSupervisor(this.supervisor, mode)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.voice?.close()
    this.pc.close()
  }
}
