import {
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  type Invitation,
  type Session,
  Web
} from 'sip.js'
import type { SipAccount } from '../../../../shared/contract'
import { PhoneEvents, type CallMedia, type CallState, type CallStats, type LineState, type Phone } from './types'
import { micConstraints, routeToSpeaker } from './devices'
import { OutgoingAudio } from './outgoing'

/**
 * The real line: sip.js 0.21 against the call centre's SIP server over WebSocket. Registers with
 * the operator's account, re-registers by itself when the WebSocket comes back, and exposes the
 * call's two sides for the recorder.
 */
export class SipLine extends PhoneEvents implements Phone {
  readonly kind = 'sip' as const
  private ua: UserAgent
  private registerer: Registerer
  private session: Session | null = null
  private number = ''
  private line: LineState = 'unregistered'
  private wanted = false
  private retry: ReturnType<typeof setTimeout> | null = null
  private attempt = 0
  /** The customer's voice in the operator's headset (and Chromium decodes remote WebRTC audio only when it is played). */
  private speaker = new Audio()
  /** The microphone plus prompts, sent to the customer (see OutgoingAudio). */
  private out: OutgoingAudio | null = null
  private incoming = false
  /** The hub's call for a routed return call (X-LeadLine-Call), while it lasts. */
  private routed: number | null = null
  /** The operator hung up (else the customer did): stored as the call's end cause. */
  private localHangup = false

  constructor(private account: SipAccount & { ha1: string }) {
    super()
    const uri = UserAgent.makeURI(`sip:${account.sipUser}@${account.domain}`)
    if (!uri) throw new Error(`bad SIP address ${account.sipUser}@${account.domain}`)
    this.ua = new UserAgent({
      uri,
      displayName: account.displayName,
      authorizationUsername: account.sipUser,
      authorizationHa1: account.ha1,
      transportOptions: { server: account.wsUrl },
      logLevel: 'warn',
      sessionDescriptionHandlerFactory: Web.defaultSessionDescriptionHandlerFactory(async () => {
        this.out?.close()
        this.out = await OutgoingAudio.open()
        return this.out.stream
      }),
      sessionDescriptionHandlerFactoryOptions: {
        peerConnectionConfiguration: { iceServers: account.iceServers as RTCIceServer[] },
        iceGatheringTimeout: 500
      },
      delegate: {
        onConnect: () => void this.registerNow(),
        onDisconnect: (err) => {
          if (!err || !this.wanted) return
          this.setLine('registering', 'reconnecting')
          this.scheduleReconnect()
        },
        onInvite: (inv: Invitation) => {
          // One call at a time: a second caller hears busy.
          if (this.session) {
            void inv.reject({ statusCode: 486 }).catch(() => {})
            return
          }
          this.number = inv.remoteIdentity.uri.user ?? ''
          this.incoming = true
          const routed = inv.request.getHeader('X-LeadLine-Call') ?? ''
          this.routed = /^\d{1,15}$/.test(routed) ? Number(routed) : null
          this.attach(inv)
          this.emit({
            type: 'call',
            state: 'ringing',
            number: this.number,
            incoming: true,
            ...(this.routed !== null ? { routed: this.routed } : {})
          })
        }
      }
    })
    this.registerer = new Registerer(this.ua, { expires: 300 })
    this.registerer.stateChange.addListener((s) => {
      if (s === RegistererState.Registered) {
        this.attempt = 0
        this.setLine('registered')
      } else if (s === RegistererState.Unregistered && this.wanted) this.setLine('registering')
    })
  }

  private setLine(state: LineState, reason?: string): void {
    this.line = state
    this.emit({ type: 'line', state, reason })
  }

  /** Back-off 1, 2, 4 … 30 s while the server is away. */
  private scheduleReconnect(): void {
    if (this.retry) return
    const delay = Math.min(30_000, 1000 * 2 ** this.attempt++)
    this.retry = setTimeout(() => {
      this.retry = null
      this.ua.reconnect().catch(() => this.scheduleReconnect())
    }, delay)
  }

  private async registerNow(): Promise<void> {
    if (!this.wanted) return
    try {
      await this.registerer.register({
        requestDelegate: {
          // A re-REGISTER after a reconnect leaves the registerer 'Registered' without a state change:
          // the accepted answer is what says the line is back.
          onAccept: () => {
            this.attempt = 0
            this.setLine('registered')
          },
          onReject: (r) => this.setLine('failed', `${r.message.statusCode} ${r.message.reasonPhrase}`)
        }
      })
    } catch (err) {
      this.setLine('failed', String(err))
    }
  }

  async register(): Promise<void> {
    this.wanted = true
    this.setLine('registering')
    if (this.ua.isConnected()) await this.registerNow()
    else
      await this.ua.start().catch((err: unknown) => {
        this.setLine('failed', String(err))
        this.scheduleReconnect()
      })
  }

  async unregister(): Promise<void> {
    this.wanted = false
    if (this.retry) clearTimeout(this.retry)
    await this.registerer.unregister().catch(() => {})
    await this.ua.stop().catch(() => {})
    this.setLine('unregistered')
  }

  private attach(s: Session): void {
    this.session = s
    s.stateChange.addListener((state) => {
      const map: Partial<Record<SessionState, CallState>> = {
        [SessionState.Established]: 'established',
        [SessionState.Terminated]: 'ended'
      }
      const mapped = map[state]
      if (!mapped) return
      if (mapped === 'established') {
        this.speaker.srcObject = this.sdh()?.remoteMediaStream ?? null
        void routeToSpeaker(this.speaker).then(() => this.speaker.play().catch(() => {}))
      }
      const cause = this.localHangup ? 'operator' : 'customer'
      if (mapped === 'ended') {
        this.localHangup = false
        this.speaker.srcObject = null
        this.session = null
        this.out?.close()
        this.out = null
      }
      this.emit({
        type: 'call',
        state: mapped,
        number: this.number,
        cause: mapped === 'ended' ? cause : undefined,
        incoming: this.incoming,
        ...(this.incoming && this.routed !== null ? { routed: this.routed } : {})
      })
    })
  }

  async call(number: string, callerId?: string | null): Promise<void> {
    if (this.line !== 'registered') throw new Error('line not registered')
    const target = UserAgent.makeURI(`sip:${number}@${this.account.domain}`)
    if (!target) throw new Error(`bad number ${number}`)
    this.number = number
    this.incoming = false
    this.routed = null
    const inviter = new Inviter(this.ua, target, {
      sessionDescriptionHandlerOptions: { constraints: { audio: micConstraints(), video: false } },
      // 外显: the PBX shows the customer this number (it maps the header to the identity it sends on)
      ...(callerId && /^\+?\d{5,16}$/.test(callerId)
        ? { extraHeaders: [`P-Preferred-Identity: <sip:${callerId}@${this.account.domain}>`] }
        : {})
    })
    this.attach(inviter)
    this.emit({ type: 'call', state: 'dialing', number })
    await inviter.invite({
      requestDelegate: {
        onProgress: () => this.emit({ type: 'call', state: 'ringing', number }),
        onReject: (r) =>
          this.emit({
            type: 'call',
            state: 'ended',
            number,
            cause: `${r.message.statusCode} ${r.message.reasonPhrase}`
          })
      }
    })
  }

  async answer(): Promise<void> {
    const s = this.session as Invitation | null
    if (!s || !('accept' in s)) return
    await s.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: micConstraints(), video: false } } })
  }

  async hangup(): Promise<void> {
    const s = this.session
    if (!s) return
    this.localHangup = true
    if (s.state === SessionState.Established) await s.bye()
    else if (s instanceof Inviter) await s.cancel()
    else if ('reject' in s) await (s as Invitation).reject()
  }

  private sdh(): Web.SessionDescriptionHandler | null {
    return (this.session?.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined) ?? null
  }

  private muted = false

  setMuted(muted: boolean): void {
    this.muted = muted
    this.out?.setMuted(muted)
  }

  async playPrompt(url: string): Promise<void> {
    await this.out?.play(url)
  }

  /** Hold: a re-INVITE that makes the media one-way (sip.js' SDH `hold` option), and the microphone silent meanwhile. */
  async setHeld(held: boolean): Promise<void> {
    const s = this.session
    if (!s || s.state !== SessionState.Established) return
    this.out?.setMuted(held || this.muted)
    s.sessionDescriptionHandlerOptionsReInvite = {
      ...s.sessionDescriptionHandlerOptionsReInvite,
      hold: held
    } as typeof s.sessionDescriptionHandlerOptionsReInvite
    await new Promise<void>((resolve, reject) => {
      s.invite({
        requestDelegate: {
          onAccept: () => resolve(),
          onReject: (r) => {
            this.out?.setMuted(this.muted)
            reject(new Error(`${r.message.statusCode} ${r.message.reasonPhrase}`))
          }
        }
      }).catch(reject)
    })
  }

  sendDtmf(digits: string): void {
    const sender = this.sdh()
      ?.peerConnection?.getSenders()
      .find((s) => s.track?.kind === 'audio')
    sender?.dtmf?.insertDTMF(digits)
  }

  async stats(): Promise<CallStats | null> {
    const pc = this.sdh()?.peerConnection
    if (!pc) return null
    const out: CallStats = { packetsLost: 0, jitterMs: 0, roundTripMs: 0, bytesReceived: 0 }
    ;(await pc.getStats()).forEach((r: Record<string, number | string | boolean>) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') {
        out.packetsLost = Number(r.packetsLost ?? 0)
        out.jitterMs = Number(r.jitter ?? 0) * 1000
        out.bytesReceived = Number(r.bytesReceived ?? 0)
      }
      if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded')
        out.roundTripMs = Number(r.currentRoundTripTime ?? 0) * 1000
    })
    return out
  }

  audioContext(): AudioContext | null {
    return this.out?.context ?? null
  }

  outgoing(): OutgoingAudio | null {
    return this.out
  }

  media(): CallMedia | null {
    const h = this.sdh()
    return h
      ? {
          local: h.localMediaStream,
          remote: h.remoteMediaStream,
          ...(this.out ? { localNode: this.out.sentNode } : {})
        }
      : null
  }
}
