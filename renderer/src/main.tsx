import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import './i18n'
import './styles.css'
import { ApiProvider } from './api/ApiProvider'
import { createApiClient } from './api/client'
import { AuthProvider } from './features/auth/AuthProvider'
import { App } from './App'
import { localeReady, storedLocale } from './i18n'
import { ApiError } from './api/errors'

const api = createApiClient()
api.setLocale(storedLocale())

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A refusal (forbidden, invalid input) will not change by asking again.
      retry: (count, err) => !(err instanceof ApiError && err.code !== 'UNAVAILABLE') && count < 2
    }
  }
})

// In the desktop app, the page's uncaught errors go to its renderer log (for support; numbers masked there)
if (window.leadline?.log) {
  const log = window.leadline.log
  window.addEventListener('error', (e) => log('error', `${e.message} at ${e.filename}:${e.lineno}:${e.colno}`))
  window.addEventListener('unhandledrejection', (e) =>
    log(
      'error',
      `unhandled rejection: ${e.reason instanceof Error ? (e.reason.stack ?? e.reason.message) : String(e.reason)}`
    )
  )
}

void localeReady.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <ApiProvider client={api}>
          <AuthProvider>
            <App />
          </AuthProvider>
        </ApiProvider>
      </QueryClientProvider>
    </StrictMode>
  )
)
