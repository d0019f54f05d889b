import { useQuery } from '@tanstack/react-query'
import { setCentreClock } from '../ui/centre-time'
import { useApi } from './ApiProvider'

/**
 * Reads the centre's clock from the hub (system.now) and keeps the page's clock on it: the time
 * zone, and this seat's offset from the hub (measured half-way through the round trip), again
 * every ten minutes. True once it is known.
 */
export function useCentreClockSync(): boolean {
  const api = useApi()
  const q = useQuery({
    queryKey: ['system.now'],
    queryFn: async () => {
      const t0 = Date.now()
      const r = await api.invoke('system.now', {})
      const t1 = Date.now()
      setCentreClock(r.timeZone, new Date(r.now).getTime() - (t0 + t1) / 2)
      return r
    },
    refetchInterval: 10 * 60_000,
    staleTime: 60_000
  })
  return q.isSuccess || q.isError
}
