import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { EventName, EventPayload } from '../../../shared/contract'
import type { ApiClient, ConnectionStatus } from './client'

const ApiContext = createContext<ApiClient | null>(null)

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>
}

export function useApi(): ApiClient {
  const api = useContext(ApiContext)
  if (!api) throw new Error('useApi outside ApiProvider')
  return api
}

/** Subscribes to a contract event for the lifetime of the component. */
export function useApiEvent<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): void {
  const api = useApi()
  useEffect(() => api.on(event, cb), [api, event, cb])
}

/** Invalidates cached queries when core says their data changed. */
export function useInvalidateOn<E extends EventName>(event: E, queryKey: readonly unknown[]): void {
  const qc = useQueryClient()
  const api = useApi()
  const key = JSON.stringify(queryKey)
  useEffect(
    () => api.on(event, () => void qc.invalidateQueries({ queryKey: JSON.parse(key) as unknown[] })),
    [api, qc, event, key]
  )
}

/**
 * Writes the hub refused when the seat sent them again after a break (a standby took over without
 * them and they no longer apply): listed for the user, who does them again; cleared when read.
 */
export function useResendRefused(): [{ method: string; message: string }[], () => void] {
  const api = useApi()
  const [refused, setRefused] = useState<{ method: string; message: string }[]>([])
  useEffect(() => api.onResendRefused?.((r) => setRefused((all) => [...all, r])), [api])
  return [refused, () => setRefused([])]
}

export function useConnectionStatus(): ConnectionStatus {
  const api = useApi()
  const [status, setStatus] = useState<ConnectionStatus>('open')
  useEffect(() => api.onStatus(setStatus), [api])
  return status
}
