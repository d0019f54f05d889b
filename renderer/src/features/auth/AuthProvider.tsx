import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { SessionInfo, User } from '../../../../shared/contract'
import { useApi } from '../../api/ApiProvider'
import { ApiError } from '../../api/errors'
import { preloadLanding } from '../shell/pages'

const TOKEN_KEY = 'leadline.session'
/** Whether this computer keeps the login (the seat's own choice on the login page, on by default). */
const REMEMBER_KEY = 'leadline.remember'

/** The seat keeps its login across a restart of the browser or the computer (a power cut) unless told not to. */
export function remembersLogin(): boolean {
  return localStorage.getItem(REMEMBER_KEY) !== '0'
}

/**
 * Where the session's token is kept: this computer's storage when it remembers the login (after a
 * power cut the seat resumes its session, no password and no password hash on the hub), else this
 * tab's, which closing the tab forgets (a shared computer).
 */
function keepToken(token: string | null): void {
  sessionStorage.removeItem(TOKEN_KEY)
  localStorage.removeItem(TOKEN_KEY)
  if (token) (remembersLogin() ? localStorage : sessionStorage).setItem(TOKEN_KEY, token)
}

type AuthState = { status: 'loading' } | { status: 'anonymous'; notice?: unknown } | { status: 'authed'; user: User }

interface AuthApi {
  state: AuthState
  login(username: string, password: string, remember: boolean): Promise<void>
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
      keepToken(s.token)
      api.setSessionToken(s.token, s.user.id)
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
      keepToken(null)
      api.setSessionToken(null, null)
      qc.clear()
      setState({ status: 'anonymous', notice })
    },
    [api, qc]
  )

  useEffect(() => {
    const token = sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY)
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
      login: async (username, password, remember) => {
        const session = await api.invoke('auth.login', { username, password })
        localStorage.setItem(REMEMBER_KEY, remember ? '1' : '0')
        adopt(session)
      },
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
