import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { SessionInfo, User } from '../../../../shared/contract'
import { useApi } from '../../api/ApiProvider'
import { ApiError } from '../../api/errors'
import { preloadLanding } from '../shell/pages'

const TOKEN_KEY = 'leadline.session'

type AuthState = { status: 'loading' } | { status: 'anonymous'; notice?: unknown } | { status: 'authed'; user: User }

interface AuthApi {
  state: AuthState
  login(username: string, password: string): Promise<void>
  adopt(session: SessionInfo): void
  logout(): Promise<void>
}

const AuthContext = createContext<AuthApi | null>(null)

export function AuthProvider({ children }: { children: ReactNode }) {
  const api = useApi()
  const qc = useQueryClient()
  const [state, setState] = useState<AuthState>({ status: 'loading' })

  const adopt = useCallback(
    (s: SessionInfo) => {
      // Per tab: closing the tab ends what this browser remembers of the login.
      sessionStorage.setItem(TOKEN_KEY, s.token)
      api.setSessionToken(s.token)
      preloadLanding(
        s.user.role,
        (method) => void qc.prefetchQuery({ queryKey: [method], queryFn: () => api.invoke(method, {}) })
      )
      setState({ status: 'authed', user: s.user })
    },
    [api, qc]
  )

  const drop = useCallback(
    (notice?: unknown) => {
      sessionStorage.removeItem(TOKEN_KEY)
      api.setSessionToken(null)
      qc.clear()
      setState({ status: 'anonymous', notice })
    },
    [api, qc]
  )

  useEffect(() => {
    const token = sessionStorage.getItem(TOKEN_KEY)
    if (!token) {
      setState({ status: 'anonymous' })
      return
    }
    api
      .invoke('auth.resume', { token })
      .then(adopt, (err: unknown) =>
        drop(err instanceof ApiError && err.key === 'errors.sessionExpired' ? err : undefined)
      )
  }, [api, adopt, drop])

  // Core ends sessions on password resets, role changes and disabling: ask whether ours survived.
  useEffect(
    () =>
      api.on('session.ended', () => {
        api.invoke('auth.me', {}).then(
          (user) => setState({ status: 'authed', user }),
          (err: unknown) => drop(err)
        )
      }),
    [api, drop]
  )

  const value = useMemo<AuthApi>(
    () => ({
      state,
      adopt,
      login: async (username, password) => adopt(await api.invoke('auth.login', { username, password })),
      logout: async () => {
        try {
          await api.invoke('auth.logout', {})
        } finally {
          drop()
        }
      }
    }),
    [state, adopt, drop, api]
  )
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

export function useAuth(): AuthApi {
  const ctx = useContext(AuthContext)
  if (!ctx) throw new Error('useAuth outside AuthProvider')
  return ctx
}

export function useCurrentUser(): User {
  const { state } = useAuth()
  if (state.status !== 'authed') throw new Error('no user')
  return state.user
}
