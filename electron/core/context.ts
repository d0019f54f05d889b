import type { KeyedHash } from './personal-data/keyed-hash'
import type { CentreCalendar } from './calendar/centre'
import type Database from 'better-sqlite3'
import type { Locale, MethodName, Output, ParsedInput, User } from '../../shared/contract'
import type { Clock } from './clock'
import type { EventBus } from './events'
import type { AuditRepo } from './audit/repo'

/** What one transport connection (a window, a WebSocket, a CLI run) knows about its caller. */
export interface ConnectionState {
  token: string | null
  /** The user the token last resolved to; kept so a user whose sessions end can be told. */
  userId: number | null
  locale: Locale
  /** Where calls come from, for the audit log: 'ipc', 'ws 192.168.1.7', 'cli'. */
  source: string
  /** The transport has gone (a closed socket): work queued for it is dropped. */
  closed?: boolean
}

export interface CallContext {
  conn: ConnectionState
  /** The logged-in user, or null for public methods called before login. */
  user: User | null
  sessionId: number | null
  /** Sent again from a seat's journal after a break (a standby may have taken over without the first send). */
  resent?: boolean
  /**
   * What a handler writes after an await goes through this, so a seat's write id is saved in its
   * transaction (see db/client-writes.ts); without a write id it just runs `fn`.
   */
  writing?: <T>(fn: () => T) => T
}

/** A logged-in call: what handlers of non-public methods receive. */
export interface AuthedContext extends CallContext {
  user: User
  sessionId: number
}

export type Handler<M extends MethodName> = (input: ParsedInput<M>, ctx: CallContext) => Output<M> | Promise<Output<M>>

export type HandlerMap<K extends MethodName = MethodName> = { [M in K]: Handler<M> }

/** Handlers of the methods whose names start with `prefix.` */
export type DomainHandlers<P extends string> = HandlerMap<Extract<MethodName, `${P}.${string}`>>

/** What every service is built from. */
export interface CoreDeps {
  db: Database.Database
  clock: Clock
  events: EventBus
  audit: AuditRepo
  dataDir: string
  /** The statutory holidays and 调休 days the windows and deadlines follow (bundled data and loaded notices). */
  calendar: CentreCalendar
  /** The keyed hash an erased customer's number becomes (an erasure's proof, a forgotten customer's do-not-call entry). */
  keyedHash: KeyedHash
}

export function requireUser(ctx: CallContext): AuthedContext {
  if (!ctx.user || ctx.sessionId === null) throw new Error('handler of a non-public method called without a user')
  return ctx as AuthedContext
}
