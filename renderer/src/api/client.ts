import type { EventName, EventPayload, Input, Locale, MethodName, Output, Result } from '../../../shared/contract'
import { HUB_WS_PATH } from '../../../shared/contract/wire-names'
import { ApiError } from './errors'
import { newClientId, WriteJournal } from './journal'

/** The one way the UI talks to core: IPC inside the desktop app, WebSocket to a hub otherwise. */
export interface ApiClient {
  readonly kind: 'ipc' | 'ws'
  readonly url: string | null
  /** `clientId`: the write's id when the caller keeps one of its own (the desk's outcomes); a new one otherwise. */
  invoke<M extends MethodName>(method: M, input: Input<M>, opts?: { clientId?: string }): Promise<Output<M>>
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void
  /** Connection state changes (WebSocket only; IPC is always up). */
  onStatus(cb: (status: ConnectionStatus) => void): () => void
  setLocale(locale: Locale): void
  /** The token to resume with after a reconnect, and whose journal of writes is kept and sent again. */
  setSessionToken(token: string | null, userId?: number | null): void
  /** Writes of the journal the hub refused when they were sent again after a break (shown to the user). */
  onResendRefused?: (cb: (refused: { method: string; message: string }) => void) => () => void
  /** The hub replicates its database (a seat keeps what it sent until `replication.confirmed`). */
  replicating?: () => boolean
  close(): void
}

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting'

interface Bridge {
  invoke(method: string, input: unknown): Promise<Result<unknown>>
  on(event: string, cb: (payload: unknown) => void): () => void
  /** The desktop's folder dialog (the app only). */
  pickFolder?: () => Promise<{ token: string; name: string } | null>
  /** The desktop's log folder in the system's file manager (the app only). */
  openLogs?: () => Promise<boolean>
  /** The desktop's renderer log (the app only). */
  log?: (level: 'error' | 'warn', text: string) => void
  /** How the desktop keeps secrets at rest (the app only). */
  secretStorage?: () => Promise<'os' | 'basic_text' | 'none' | null>
  /** The desktop's updates from its hub (the app only). */
  updates?: {
    setHub(url: string | null): Promise<unknown>
    setCallActive(active: boolean): Promise<unknown>
    install(): Promise<unknown>
    state(): Promise<unknown>
    onState(cb: (state: unknown) => void): () => void
  }
}

declare global {
  interface Window {
    leadline?: Bridge
    /** The hub connection connect-early.js opened while the code downloaded (resources/renderer). */
    __leadlineEarlySocket?: { socket: WebSocket; received: MessageEvent[] }
  }
}

/** The socket connect-early.js opened for this URL, if it is still usable; taken once. */
function takeEarlySocket(url: string): { socket: WebSocket; received: MessageEvent[] } | null {
  const early = window.__leadlineEarlySocket
  delete window.__leadlineEarlySocket
  if (!early || early.socket.url !== new URL(url).href) return null
  if (early.socket.readyState !== WebSocket.CONNECTING && early.socket.readyState !== WebSocket.OPEN) return null
  return early
}

function unwrap<T>(r: Result<unknown>): T {
  if (r.ok) return r.value as T
  throw new ApiError(r.error)
}

export function createIpcClient(bridge: Bridge): ApiClient {
  return {
    kind: 'ipc',
    url: null,
    // the desktop's own core: nothing to replicate, nothing kept
    invoke: async (method, input) => unwrap(await bridge.invoke(method, input)),
    on: (event, cb) => bridge.on(event, cb as (p: unknown) => void),
    onStatus: () => () => {},
    setLocale: (locale) => {
      document.documentElement.lang = locale
    },
    setSessionToken: () => {},
    close: () => {}
  }
}

const REQUEST_TIMEOUT_MS = 30_000

/**
 * WebSocket client with automatic reconnect (back-off up to 10 s). After a reconnect it takes
 * up the session again with its token before sending anything else, so a hub restart or a
 * network blip does not log the user out.
 */
export const HUBS_KEY = 'leadline.hubs'

/** The page's address of a hub's WebSocket from the hub's own address (http(s)://host:port). */
const wsOf = (hubUrl: string) => `${hubUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}${HUB_WS_PATH}`

/** A hub's answer to `system.hubs` over a short-lived socket (the page's policy allows sockets, not fetches, to other hubs). */
function probe(wsUrl: string): Promise<{ url: string; epoch: number } | null> {
  return new Promise((resolve) => {
    let done = false
    const ws = new WebSocket(wsUrl)
    const finish = (v: { url: string; epoch: number } | null) => {
      if (done) return
      done = true
      clearTimeout(timer)
      try {
        ws.close()
      } catch {
        // already closed
      }
      resolve(v)
    }
    const timer = setTimeout(() => finish(null), 1500)
    ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'system.hubs', input: {} }))
    ws.onmessage = (ev) => {
      try {
        const f = JSON.parse(String(ev.data)) as { id?: number; ok?: boolean; value?: { epoch: number | null } }
        if (f.id === 1) finish(f.ok ? { url: wsUrl, epoch: f.value?.epoch ?? 0 } : null)
      } catch {
        finish(null)
      }
    }
    ws.onerror = () => finish(null)
  })
}

/**
 * Of the centre's hubs (remembered from `system.hubs`), the one that writes now: a standby waiting
 * takes no sockets, so each that answers is a writer, and the highest lease epoch wins; null when none does.
 */
async function findWriter(hubs: string[]): Promise<string | null> {
  const answers = await Promise.all(hubs.map((h) => probe(wsOf(h))))
  const best = answers.filter((a): a is { url: string; epoch: number } => !!a).sort((a, b) => b.epoch - a.epoch)[0]
  return best?.url ?? null
}

export function createWsClient(first: string): ApiClient {
  let url = first
  let ws: WebSocket | null = null
  let nextId = 1
  let locale: Locale = 'zh-CN'
  let token: string | null = null
  let closed = false
  let attempt = 0
  let status: ConnectionStatus = 'connecting'
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> }>()
  const queue: string[] = []
  const eventListeners = new Map<string, Set<(p: unknown) => void>>()
  const statusListeners = new Set<(s: ConnectionStatus) => void>()

  let replicating = false
  const journal = new WriteJournal()
  const refusedListeners = new Set<(r: { method: string; message: string }) => void>()
  let resending = false
  const knownHubs = (): string[] => {
    try {
      return JSON.parse(localStorage.getItem(HUBS_KEY) ?? '[]') as string[]
    } catch {
      return []
    }
  }
  const setStatus = (s: ConnectionStatus) => {
    status = s
    statusListeners.forEach((l) => l(s))
  }

  function connect(): void {
    const early = takeEarlySocket(url)
    const sock = early?.socket ?? new WebSocket(url)
    ws = sock
    sock.onopen = () => {
      attempt = 0
      const resume = token
      if (resume) {
        // Resume first; queued requests go after it on the same ordered socket. If the session
        // is gone meanwhile (expired, password reset), the app hears it as a session end.
        const id = nextId++
        pending.set(id, {
          timer: setTimeout(() => pending.delete(id), REQUEST_TIMEOUT_MS),
          resolve: (r) => {
            if (r.ok) return
            token = null
            eventListeners.get('session.ended')?.forEach((l) => l({ userId: 0, reason: 'resume failed' }))
          }
        })
        sock.send(JSON.stringify({ id, method: 'auth.resume', input: { token: resume }, locale }))
        resendJournal(sock)
      }
      while (queue.length && sock.readyState === WebSocket.OPEN) sock.send(queue.shift()!)
      setStatus('open')
      refreshHubs(sock)
    }
    sock.onmessage = (ev) => {
      let frame: { id?: number; ok?: boolean; value?: unknown; error?: unknown; event?: string; payload?: unknown }
      try {
        frame = JSON.parse(String(ev.data))
      } catch {
        return
      }
      if (typeof frame.event === 'string') {
        if (frame.event === 'replication.confirmed') journal.confirmed((frame.payload as { upTo: string }).upTo)
        eventListeners.get(frame.event)?.forEach((l) => l(frame.payload))
        return
      }
      const p = frame.id !== undefined ? pending.get(frame.id) : undefined
      if (p) {
        clearTimeout(p.timer)
        pending.delete(frame.id!)
        p.resolve(frame as Result<unknown>)
      }
    }
    sock.onclose = () => {
      resending = false
      if (closed) return
      setStatus('reconnecting')
      const delay = Math.min(10_000, 300 * 2 ** attempt++)
      // gone for a while: the lease may have moved to a standby (the hubs this seat knows are asked)
      const hubs = knownHubs()
      if (attempt >= 2 && hubs.length > 1)
        void findWriter(hubs).then((w) => {
          if (w && w !== url) url = w
          setTimeout(connect, 200)
        })
      else setTimeout(connect, delay)
    }
    if (early) {
      early.received.forEach((ev) => sock.onmessage?.(ev))
      if (sock.readyState === WebSocket.OPEN) sock.onopen?.(new Event('open'))
    }
  }

  /** The centre's hubs, remembered for when this one goes (a standby taking over the lease); asked again now and then. */
  function refreshHubs(sock: WebSocket): void {
    if (sock.readyState !== WebSocket.OPEN) return
    const id = nextId++
    pending.set(id, {
      timer: setTimeout(() => pending.delete(id), REQUEST_TIMEOUT_MS),
      resolve: (r) => {
        if (!r.ok) return
        const v = r.value as { hubs: string[]; replicating: boolean }
        if (v.hubs.length) localStorage.setItem(HUBS_KEY, JSON.stringify(v.hubs))
        const was = replicating
        replicating = v.replicating
        if (was !== replicating) statusListeners.forEach((l) => l(status))
      }
    })
    sock.send(JSON.stringify({ id, method: 'system.hubs', input: {}, locale }))
  }
  const hubsTimer = setInterval(() => ws && refreshHubs(ws), 10_000)

  /**
   * After a break (or a reload), the journal's writes go again, after the session's resume and
   * before anything new: applied once by their ids, kept until the replica of the hub that now has
   * them holds them. One the hub refuses (its customer was lost with the old hub …) is dropped and
   * the user is told.
   */
  function resendJournal(sock: WebSocket): void {
    const entries = journal.entries()
    if (resending || !entries.length || sock.readyState !== WebSocket.OPEN) return
    resending = true
    let left = entries.length
    const done = () => {
      if (--left === 0) resending = false
    }
    for (const e of entries) {
      const id = nextId++
      pending.set(id, {
        timer: setTimeout(() => {
          pending.delete(id)
          done()
        }, REQUEST_TIMEOUT_MS),
        resolve: (r) => {
          done()
          if (r.ok) {
            if (r.at && replicating) journal.add({ ...e, at: r.at })
            else journal.remove(e.cid)
          } else if (r.error.code !== 'UNAVAILABLE' && r.error.code !== 'UNAUTHENTICATED') {
            // (a session the new hub does not know: kept for after the login, sent again then)
            journal.remove(e.cid)
            refusedListeners.forEach((l) => l({ method: e.method, message: r.error.message }))
          }
        }
      })
      sock.send(JSON.stringify({ id, method: e.method, input: e.input, locale, cid: e.cid, resent: true }))
    }
  }

  function sendRaw(text: string): void {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(text)
    else queue.push(text)
  }

  connect()

  return {
    kind: 'ws',
    get url() {
      return url
    },
    replicating: () => replicating,
    invoke: (method, input, opts) =>
      new Promise((resolve, reject) => {
        const id = nextId++
        const cid = opts?.clientId ?? newClientId()
        const timer = setTimeout(() => {
          pending.delete(id)
          reject(new ApiError({ code: 'UNAVAILABLE', message: 'timeout', key: 'errors.timeout' }))
        }, REQUEST_TIMEOUT_MS)
        pending.set(id, {
          timer,
          resolve: (r) => {
            // a write the hub saved and has yet to replicate: kept until it says its replica holds it
            if (r.ok && r.at && replicating) journal.add({ cid, method, input, at: r.at })
            try {
              resolve(unwrap(r))
            } catch (e) {
              reject(e)
            }
          }
        })
        // every call has an id: the hub applies a write ('resend' in the contract) once per id
        sendRaw(JSON.stringify({ id, method, input, locale, cid }))
      }),
    on: (event, cb) => {
      const set = eventListeners.get(event) ?? new Set()
      eventListeners.set(event, set)
      set.add(cb as (p: unknown) => void)
      return () => set.delete(cb as (p: unknown) => void)
    },
    onStatus: (cb) => {
      statusListeners.add(cb)
      cb(status)
      return () => statusListeners.delete(cb)
    },
    setLocale: (l) => {
      locale = l
      document.documentElement.lang = l
    },
    setSessionToken: (t, userId) => {
      token = t
      const before = journal.user
      if (userId !== undefined) journal.setUser(t ? userId : null)
      // a page that was reloaded, or a login after a break: what the journal kept of this user goes again
      if (t && journal.user && journal.user !== before && ws) resendJournal(ws)
    },
    onResendRefused: (cb) => {
      refusedListeners.add(cb)
      return () => refusedListeners.delete(cb)
    },
    close: () => {
      closed = true
      clearInterval(hubsTimer)
      ws?.close()
    }
  }
}

export const HUB_URL_KEY = 'leadline.hubUrl'

/** The hub this page belongs to: the configured team hub, else the server that served the page. */
export function defaultHubUrl(): string {
  const configured = localStorage.getItem(HUB_URL_KEY)
  if (configured) return configured.replace(/\/+$/, '') + (configured.includes('/api/') ? '' : HUB_WS_PATH)
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}${HUB_WS_PATH}`
}

export function createApiClient(): ApiClient {
  // A desktop seat uses its own core over IPC unless it was pointed at a team hub.
  if (window.leadline && !localStorage.getItem(HUB_URL_KEY)) return createIpcClient(window.leadline)
  return createWsClient(defaultHubUrl())
}
