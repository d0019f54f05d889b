import { useEffect, useRef, useState } from 'react'
import type { MonitorMode } from '../../../../shared/contract'
import { useApi } from '../../api/ApiProvider'
import type { Softphone } from '../desk/use-softphone'
import { DeskMonitorLink } from './desk-link'

/** What the desk shows of a monitoring session: only what the centre wants shown (see 系统设置 → 监听). */
export interface Monitored {
  mode: MonitorMode
  supervisorName: string
}

/**
 * The desk answers monitoring sessions of its current call (an answered one) and ends them with the
 * call. Returns what the operator is to see: null when nobody monitors, or when the mode is silent.
 */
export function useDeskMonitor(sp: Softphone): Monitored | null {
  const api = useApi()
  const [shown, setShown] = useState<Monitored | null>(null)
  const links = useRef(new Map<number, Promise<DeskMonitorLink | null>>())
  // the latest call, read by the event handler without re-subscribing on every render
  const callId = sp.state === 'established' ? (sp.call?.callId ?? null) : null
  const current = useRef({ phone: sp.phone, callId })
  useEffect(() => {
    current.current = { phone: sp.phone, callId }
  })

  useEffect(() => {
    const all = links.current
    const off = api.on('monitor.desk', (e) => {
      if (e.kind === 'start') {
        const { phone, callId } = current.current
        all.set(
          e.sessionId,
          DeskMonitorLink.open(api, phone, e, callId).catch(async () => {
            await DeskMonitorLink.decline(api, e.sessionId, 'noMedia')
            return null
          })
        )
      }
      const link = all.get(e.sessionId)
      if (!link) return
      if (e.kind === 'signal' && e.signal?.type === 'answer') {
        const sdp = e.signal.sdp
        void link.then((l) => l?.answer(sdp)).catch(() => {})
      }
      if (e.kind === 'mode') void link.then((l) => l?.setMode(e.mode))
      if (e.kind === 'end') {
        all.delete(e.sessionId)
        void link.then((l) => l?.close())
        setShown(null)
        return
      }
      setShown(e.show ? { mode: e.mode, supervisorName: e.supervisorName } : null)
    })
    return () => {
      off()
      for (const l of all.values()) void l.then((x) => x?.close())
      all.clear()
    }
  }, [api])

  // the call ended here: its monitoring ends with it (core says so too, once it hears of the end)
  useEffect(() => {
    if (callId !== null) return
    const all = links.current
    for (const l of all.values()) void l.then((x) => x?.close())
    all.clear()
    setShown(null)
  }, [callId])
  return shown
}
