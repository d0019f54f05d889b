import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Recording, SipAccount } from '../../../../shared/contract'
import { useApi } from '../../api/ApiProvider'
import { ApiError } from '../../api/errors'
import { CallRecorder } from '../phone/recorder'
import { RECORDING_NOTICE_URL } from '../phone/outgoing'
import { SimulatedLine } from '../phone/simulated-line'
import { SipLine } from '../phone/sip-line'
import type { CallState, CallStats, LineState, Phone } from '../phone/types'

export interface CallInfo {
  callId: number
  leadId: number | null
  direction: 'outbound' | 'inbound'
  /** Play the recorded disclosure to the customer on answer. */
  notice: boolean
  answeredAt: number | null
}

export interface Softphone {
  phone: Phone
  line: { state: LineState; reason?: string }
  state: CallState
  call: CallInfo | null
  quality: CallStats | null
  muted: boolean
  held: boolean
  /** An inbound call ringing, not answered yet. */
  incoming: string | null
  /** The hub's call of a routed return call ringing now (its lead's card opens on the desk), else null. */
  incomingCall: number | null
  playingNotice: boolean
  /** The recorder runs. */
  recording: boolean
  lastRecording: Recording | null
  /** The last call's recording could not be closed whole (what went wrong); the call itself is unaffected. */
  recordingProblem: unknown
  clearRecordingProblem(): void
  error: unknown
  setError(e: unknown): void
  /** Places a call the desk already registered in core (desk.dial or calls.start). */
  dial(info: Omit<CallInfo, 'answeredAt'>, number: string, callerId?: string | null): Promise<void>
  /** Answers the ringing call; a routed return call is answered as its lead's call (@leadId). */
  answer(leadId?: number | null): Promise<void>
  hangup(): Promise<void>
  toggleMute(): void
  toggleHold(): Promise<void>
  /** Milliseconds since the call was answered (for script ticks), or null. */
  offsetMs(): number | null
  /** Called once per call when it has ended and its recording is closed. */
  onEnded(cb: (call: CallInfo, cause: string) => void): () => void
}

/**
 * Why the softphone cannot dial now (null: it can): the SIP line is not registered. Nothing is
 * registered with core then, so no attempt is counted for a call that could not be made.
 */
export function lineDownError(sp: Pick<Softphone, 'phone' | 'line'>, t: (k: string) => string): ApiError | null {
  if (sp.phone.kind !== 'sip' || sp.line.state === 'registered') return null
  return new ApiError({ code: 'UNAVAILABLE', message: t('desk.lineDown'), key: 'desk.lineDown' })
}

/** What core gave the softphone to dial (a token the PBX resolves, or a dial string); refused in words when it is none. */
export function mustDial(dial: string | null, t: (k: string) => string): string {
  if (!dial) throw new ApiError({ code: 'INVALID_INPUT', message: t('desk.badNumber'), key: 'desk.badNumber' })
  return dial
}

/**
 * The desk's softphone: the SIP line when the operator has an account (else the simulated
 * line), recording every answered call, playing the recording notice when the campaign asks,
 * and answering inbound calls.
 */
export function useSoftphone(
  account: (SipAccount & { ha1: string }) | null | undefined,
  lineKind: 'sip' | 'simulated'
): Softphone {
  const api = useApi()
  const phone: Phone = useMemo(
    () => (lineKind === 'sip' && account ? new SipLine(account) : new SimulatedLine()),
    [lineKind, account]
  )
  const [line, setLine] = useState<{ state: LineState; reason?: string }>({ state: 'unregistered' })
  const [state, setState] = useState<CallState>('idle')
  const [call, setCall] = useState<CallInfo | null>(null)
  const [quality, setQuality] = useState<CallStats | null>(null)
  const [muted, setMuted] = useState(false)
  const [held, setHeld] = useState(false)
  const [incoming, setIncoming] = useState<string | null>(null)
  const [incomingCall, setIncomingCall] = useState<number | null>(null)
  /** The routed call ringing, for its end when nobody answers it. */
  const ringingCall = useRef<number | null>(null)
  const [playingNotice, setPlayingNotice] = useState(false)
  /** The call is being recorded (the recorder runs: only then does the desk say 录音中). */
  const [recording, setRecording] = useState(false)
  const [lastRecording, setLastRecording] = useState<Recording | null>(null)
  const [error, setError] = useState<unknown>()
  const [recordingProblem, setRecordingProblem] = useState<unknown>(null)
  const current = useRef<{ info: CallInfo; recorder: Promise<CallRecorder> | null } | null>(null)
  const endedListeners = useRef(new Set<(call: CallInfo, cause: string) => void>())

  useEffect(() => {
    const off = phone.on((e) => {
      if (e.type === 'line') {
        setLine({ state: e.state, reason: e.reason })
        return
      }
      setState(e.state)
      if (e.state === 'ringing' && e.incoming && !current.current) {
        setIncoming(e.number)
        ringingCall.current = e.routed ?? null
        setIncomingCall(e.routed ?? null)
        return
      }
      const c = current.current
      if (e.state === 'ended') {
        setIncoming(null)
        setIncomingCall(null)
        // a routed return call that stopped ringing unanswered: core books the callback for its customer
        const missed = ringingCall.current
        ringingCall.current = null
        if (!c && missed !== null) {
          const cause = e.cause === 'operator' ? 'rejected' : 'missed'
          void api
            .invoke('calls.end', { callId: missed, cause, answered: false })
            .catch((err: unknown) => setError(err))
        }
      }
      if (!c) return
      if (e.state === 'established') {
        c.info.answeredAt = performance.now()
        setCall({ ...c.info })
        c.recorder = CallRecorder.start(api, c.info.callId, phone.media()!, phone.audioContext(), () =>
          setRecording(true)
        )
        c.recorder.catch((err: unknown) => setError(err))
        if (c.info.notice) {
          setPlayingNotice(true)
          void phone
            .playPrompt(RECORDING_NOTICE_URL)
            .catch((err: unknown) => setError(err))
            .finally(() => setPlayingNotice(false))
        }
      }
      if (e.state === 'ended') {
        current.current = null
        setMuted(false)
        setHeld(false)
        setPlayingNotice(false)
        setRecording(false)
        setCall(null)
        const cause = e.cause ?? 'normal'
        // The desk moves on (wrap-up) at once, whatever happens below: the call's end and its
        // recording are closed behind it, and a failure there is reported, never in the way.
        endedListeners.current.forEach((l) => l(c.info, cause))
        void (async () => {
          await api
            .invoke('calls.end', { callId: c.info.callId, cause, answered: c.info.answeredAt !== null })
            .catch((err: unknown) => setError(err))
          const rec = c.recorder ? await c.recorder.catch(() => null) : null
          if (!rec) return
          const failure = await rec.stop()
          if (failure !== null) setRecordingProblem(failure)
          setLastRecording(await api.invoke('recordings.get', { id: rec.recordingId }).catch(() => null))
        })()
      }
    })
    // Listening first: the simulated line says it is registered at once.
    void phone.register()
    return () => {
      off()
      void phone.hangup().then(() => phone.unregister())
    }
  }, [api, phone])

  useEffect(() => {
    if (state !== 'established') {
      setQuality(null)
      return
    }
    // Call quality from the line (WebRTC getStats on the SIP line), every two seconds.
    const q = setInterval(() => void phone.stats().then(setQuality), 2000)
    return () => clearInterval(q)
  }, [state, phone])

  const dial = useCallback(
    async (info: Omit<CallInfo, 'answeredAt'>, number: string, callerId?: string | null) => {
      setError(undefined)
      const full: CallInfo = { ...info, answeredAt: null }
      current.current = { info: full, recorder: null }
      setCall(full)
      try {
        await phone.call(number, callerId)
      } catch (err) {
        current.current = null
        setCall(null)
        // The call never left: core closes it as failed, and the desk hears about it like any other end.
        await api.invoke('calls.end', { callId: info.callId, cause: 'failed', answered: false }).catch(() => {})
        endedListeners.current.forEach((l) => l(full, 'failed'))
        throw err
      }
    },
    [api, phone]
  )

  const onEnded = useCallback((cb: (call: CallInfo, cause: string) => void) => {
    const set = endedListeners.current
    set.add(cb)
    return () => {
      set.delete(cb)
    }
  }, [])

  const answer = useCallback(
    async (leadId?: number | null) => {
      if (!incoming) return
      setError(undefined)
      const routed = ringingCall.current
      const { callId, recordingNotice } = await api.invoke('calls.start', {
        direction: 'inbound',
        line: phone.kind,
        ...(routed !== null ? { routedCallId: routed } : {})
      })
      ringingCall.current = null
      const info: CallInfo = {
        callId,
        leadId: routed !== null ? (leadId ?? null) : null,
        direction: 'inbound',
        notice: recordingNotice,
        answeredAt: null
      }
      current.current = { info, recorder: null }
      setCall(info)
      setIncoming(null)
      setIncomingCall(null)
      await phone.answer()
    },
    [api, phone, incoming]
  )

  return {
    phone,
    line,
    state,
    call,
    quality,
    muted,
    held,
    incoming,
    incomingCall,
    playingNotice,
    recording,
    lastRecording,
    recordingProblem,
    clearRecordingProblem: () => setRecordingProblem(null),
    error,
    setError,
    dial,
    answer,
    hangup: () => phone.hangup(),
    toggleMute: () => {
      phone.setMuted(!muted)
      setMuted(!muted)
    },
    toggleHold: async () => {
      await phone.setHeld(!held)
      setHeld(!held)
    },
    offsetMs: () =>
      current.current?.info.answeredAt ? Math.round(performance.now() - current.current.info.answeredAt) : null,
    onEnded
  }
}
