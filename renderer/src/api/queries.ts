import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Input, MethodName, Output } from '../../../shared/contract'
import { useApi } from './ApiProvider'

/** Query keys: one factory, so invalidation names the same keys the queries use. */
export const keys = {
  systemInfo: ['system.info'] as const,
  settings: ['settings.get'] as const,
  users: (filter: Input<'users.list'> = {}) => ['users.list', filter] as const,
  usersAll: ['users.list'] as const,
  audit: (filter: Input<'audit.list'>) => ['audit.list', filter] as const,
  districts: ['districts.list'] as const
}

export function useMethodQuery<M extends MethodName>(
  method: M,
  input: Input<M>,
  key: readonly unknown[],
  enabled = true
) {
  const api = useApi()
  return useQuery<Output<M>>({ queryKey: key, queryFn: () => api.invoke(method, input), enabled })
}

export function useMethodMutation<M extends MethodName>(method: M, invalidate: readonly (readonly unknown[])[] = []) {
  const api = useApi()
  const qc = useQueryClient()
  return useMutation<Output<M>, Error, Input<M>>({
    mutationFn: (input) => api.invoke(method, input),
    onSuccess: () => Promise.all(invalidate.map((k) => qc.invalidateQueries({ queryKey: k }))).then(() => undefined)
  })
}
