import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useConnectionStatus } from '../../api/ApiProvider'
import type { ApiClient } from '../../api/client'
import { centre } from '../../ui/centre-time'
import { agentStateOf, type DeskEvent, type DeskState } from './desk-machine'
import { OutcomeOutbox } from './outbox'

/**
 * Tells core the agent state the desk derives (agentStateOf), one call after another so that a
 * slow answer can never put an older state over a newer one; again after a reconnect; offline
 * when the operator leaves the desk.
 */
export function useAgentStateSync(
  api: ApiClient,
  desk: DeskState,
  onError: (err: unknown) => void,
  seat: string
): void {
  const status = useConnectionStatus()
  const { state, reason } = agentStateOf(desk)
  const chain = useRef<Promise<void>>(Promise.resolve())
  useEffect(() => {
    if (status !== 'open') return
    chain.current = chain.current.then(() =>
      api.invoke('desk.setState', { state, reason, seat }).then(() => undefined, onError)
    )
  }, [api, state, reason, status, onError, seat])
  useEffect(
    () => () => {
      void chain.current.then(() => api.invoke('desk.setState', { state: 'offline', seat }).catch(() => {}))
    },
    [api, seat]
  )
}

const RENEW_MS = 60_000

/** The lease on the lead in hand is renewed while the desk works it (null: no lead, or its outcome is saved). */
export function useLeaseRenewal(api: ApiClient, leadId: number | null, seat: string): void {
  useEffect(() => {
    if (leadId === null) return
    const id = setInterval(() => void api.invoke('desk.renew', { leadId, seat }).catch(() => {}), RENEW_MS)
    return () => clearInterval(id)
  }, [api, leadId, seat])
}

/**
 * This desk's seat id: one per browser tab (or desktop window), kept across its reloads, so that a
 * reload is the same desk and a second tab of the same operator is another one (core lets one work).
 */
export function useDeskSeat(): string {
  return useMemo(() => {
    const key = 'leadline.deskSeat'
    let seat = sessionStorage.getItem(key)
    if (!seat || !/^[A-Za-z0-9_-]{8,64}$/.test(seat)) {
      seat = crypto.randomUUID().replaceAll('-', '')
      sessionStorage.setItem(key, seat)
    }
    return seat
  }, [])
}

/**
 * A call of mine that still owes its outcome (the page was reloaded or closed in wrap-up, the browser
 * crashed, another browser) opens the desk on its wrap-up, with what was filled in.
 */
export function useUnfinishedRestore(
  api: ApiClient,
  dispatch: (e: DeskEvent) => void,
  onError: (err: unknown) => void
): void {
  useEffect(() => {
    let live = true
    api
      .invoke('desk.unfinished', {})
      .then((u) => {
        if (!live || !u) return
        const ago = u.endedAt ? Math.max(0, centre.now().getTime() - Date.parse(u.endedAt)) : 0
        dispatch({
          type: 'wrapUpRestored',
          lead: u.lead,
          source: u.source,
          callbackId: u.callbackId,
          callbackNote: u.callbackNote,
          callId: u.callId,
          at: performance.now() - ago,
          wrapUpSec: u.wrapUpSec
        })
      })
      .catch((err: unknown) => onError(err))
    return () => {
      live = false
    }
  }, [api, dispatch, onError])
}

/**
 * 回拨路由: a customer's return call that the hub routed to this seat rings with its call id; the desk
 * opens the customer's card (and history) while it rings, and gives the desk back if it stops ringing
 * unanswered.
 */
export function useReturnCall(
  api: ApiClient,
  ringing: number | null,
  dispatch: (e: DeskEvent) => void,
  onError: (err: unknown) => void
): void {
  const rang = useRef<number | null>(null)
  useEffect(() => {
    if (ringing !== null) {
      rang.current = ringing
      void api
        .invoke('desk.inbound', { callId: ringing })
        .then((r) =>
          dispatch({
            type: 'inboundRang',
            lead: r.lead,
            source: r.source,
            callbackId: r.callbackId,
            callbackNote: r.callbackNote,
            callId: r.callId
          })
        )
        .catch((err: unknown) => onError(err))
      return
    }
    const gone = rang.current
    rang.current = null
    if (gone !== null) dispatch({ type: 'inboundGone', callId: gone })
  }, [api, ringing, dispatch, onError])
}

/**
 * Outcomes kept on the seat while the hub is away: sent on arrival, when the hub is back, and every
 * 5 s while any wait; the ones the hub refused are listed until the operator dismisses them.
 */
export function useOutbox(api: ApiClient, userId: number) {
  const qc = useQueryClient()
  const status = useConnectionStatus()
  const outbox = useMemo(() => new OutcomeOutbox(api, userId), [api, userId])
  const [queued, setQueued] = useState(outbox.pending().length)
  const [failed, setFailed] = useState(outbox.failed())
  const refresh = useCallback(() => {
    setQueued(outbox.pending().length)
    setFailed(outbox.failed())
  }, [outbox])
  useEffect(() => {
    if (status !== 'open') return
    void outbox.flush().then(() => {
      refresh()
      void qc.invalidateQueries({ queryKey: ['desk.today'] })
    })
  }, [status, outbox, qc, refresh])
  useEffect(() => {
    if (!queued) return
    const id = setInterval(() => void outbox.flush().then(refresh), 5000)
    return () => clearInterval(id)
  }, [queued, outbox, refresh])
  const clearFailed = useCallback(() => {
    outbox.saveFailed([])
    setFailed([])
  }, [outbox])
  return { outbox, queued, failed, refresh, clearFailed }
}
