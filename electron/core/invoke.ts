import {
  contract,
  events as eventSpecs,
  isMethodName,
  type EventName,
  type EventPayload,
  type Locale,
  type MethodName,
  type Result,
  type Role,
  type User
} from '../../shared/contract'
import { AppError, type InputIssue, internalError, knownError } from './errors'
import type { AuthService } from './auth/service'
import type { CallContext, ConnectionState, Handler, HandlerMap } from './context'
import type { EventBus } from './events'
import type { AuditRepo } from './audit/repo'
import type { DomainEvents } from './domain-events'
import { AlreadyApplied, type ClientWrites } from './db/client-writes'

export interface Logger {
  info(msg: string, extra?: unknown): void
  warn(msg: string, extra?: unknown): void
  error(msg: string, extra?: unknown): void
}

/** The actor of in-process administration (the CLI run by someone with the data folder in hand). */
export const SYSTEM_USER: User = {
  id: 0,
  username: 'system',
  displayName: 'system',
  role: 'admin',
  staffNo: null,
  districtCode: null,
  teamId: null,
  disabled: false,
  lockedUntil: null,
  createdAt: new Date(0).toISOString(),
  lastLoginAt: null
}

/** What a transport says of a write: its client id, and whether the seat's journal sends it again. */
export interface WriteOptions {
  clientId?: string
  resent?: boolean
}

export type ConnectionListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void

/** One caller's line into core: a window over IPC, a WebSocket, a CLI run. */
export interface CoreConnection {
  readonly state: ConnectionState
  /**
   * The one generic entry point both transports use: look the method up in the contract,
   * check the caller's session and role, validate the input, run the handler, and check
   * the output against the contract (which also strips anything the contract does not name).
   */
  invoke(method: string, input: unknown, write?: WriteOptions): Promise<Result<unknown>>
  /** Events this connection's user may receive. */
  subscribe(listener: ConnectionListener): () => void
  /** The transport has gone (a closed socket, a closed window): what was tied to it ends (a seat's desk, monitoring). */
  close(): void
}

export function createDispatcher(deps: {
  handlers: HandlerMap
  auth: AuthService
  events: EventBus
  audit: AuditRepo
  logger: Logger
  bus: DomainEvents
  clientWrites: ClientWrites
}) {
  const { handlers, auth, events, audit, logger, bus, clientWrites } = deps

  async function call(
    conn: ConnectionState,
    method: string,
    input: unknown,
    asSystem = false,
    opts: WriteOptions = {}
  ): Promise<Result<unknown>> {
    const locale: Locale = conn.locale
    try {
      if (!isMethodName(method)) {
        throw new AppError('UNKNOWN_METHOD', undefined, { method: String(method).slice(0, 64) })
      }
      const spec = contract[method]
      const session = asSystem ? { user: SYSTEM_USER, sessionId: 0 } : auth.resolve(conn.token)
      if (spec.roles !== 'public' && !asSystem) {
        if (!session) {
          throw new AppError(
            'UNAUTHENTICATED',
            conn.token && auth.isExpired(conn.token) ? 'errors.sessionExpired' : undefined
          )
        }
        if (!(spec.roles as readonly Role[]).includes(session.user.role)) {
          audit.write({
            userId: session.user.id,
            username: session.user.username,
            action: 'access.denied',
            details: { method, role: session.user.role },
            source: conn.source
          })
          throw new AppError('FORBIDDEN')
        }
      }
      const parsed = spec.input.safeParse(input ?? {})
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
        const refused = new AppError('INVALID_INPUT', undefined, undefined, issues)
        refused.detail = parsed.error.issues[0] as InputIssue
        throw refused
      }
      if (session) conn.userId = session.user.id
      const ctx: CallContext = {
        conn,
        user: session?.user ?? null,
        sessionId: session?.sessionId ?? null,
        resent: !!opts.resent
      }
      const handler = handlers[method] as Handler<MethodName>
      // a seat's write with its client id: applied once (the id is saved with the write)
      const write =
        'write' in spec && spec.write === 'resend' && opts.clientId && session && !asSystem
          ? clientWrites.begin(opts.clientId, session.user.id, method, !!opts.resent)
          : null
      if (write) ctx.writing = (fn) => clientWrites.resume(write, fn)
      const value = await clientWrites.run(write, () => handler(parsed.data as never, ctx))
      if (write) clientWrites.finish(write)
      const out = spec.output.safeParse(value)
      if (!out.success) {
        throw new Error(`the output of ${method} does not match the contract: ${JSON.stringify(out.error.issues)}`)
      }
      // what the wallboard shows changed: declared next to the method in the contract
      if ('board' in spec && spec.board) bus.publish('board.touched', { reason: method })
      return write ? { ok: true, value: out.data, at: new Date().toISOString() } : { ok: true, value: out.data }
    } catch (err) {
      if (err instanceof AlreadyApplied)
        return { ok: true, value: undefined, at: new Date().toISOString(), replayed: true }
      const known = knownError(err)
      if (known && !(err instanceof AppError)) logger.warn(`${method}: the database was busy`, err)
      return { ok: false, error: (known ?? internalError(logger, `${method} failed`, err)).toShape(locale) }
    }
  }

  function connect(init: { source: string; locale?: Locale; token?: string | null }): CoreConnection {
    const state: ConnectionState = {
      token: init.token ?? null,
      userId: null,
      locale: init.locale ?? 'zh-CN',
      source: init.source
    }
    return {
      state,
      invoke: (method, input, write) => call(state, method, input, false, write),
      close() {
        if (state.closed) return
        state.closed = true
        try {
          bus.publish('connection.closed', { conn: state, userId: state.userId })
        } catch (err) {
          logger.error('closing a connection', err)
        }
      },
      subscribe(listener) {
        return events.subscribe((name, payload) => {
          const session = auth.resolve(state.token)
          if (session) state.userId = session.user.id
          const spec = eventSpecs[name]
          const userId = (payload as { userId?: number }).userId
          // A user whose sessions were just ended must hear it although their token no longer resolves.
          if (name === 'session.ended') {
            if (userId !== undefined && userId === state.userId) listener(name, payload)
            return
          }
          if (!session || !spec.roles.includes(session.user.role)) return
          if ('audience' in spec && spec.audience === 'user' && userId !== session.user.id) return
          listener(name, payload)
        })
      }
    }
  }

  function connectSystem(source: string, locale: Locale = 'zh-CN'): CoreConnection {
    const state: ConnectionState = { token: null, userId: null, locale, source }
    return {
      state,
      invoke: (method, input) => call(state, method, input, true),
      subscribe: () => () => {},
      close: () => void (state.closed = true)
    }
  }

  return { call, connect, connectSystem }
}
