import { randomBytes } from 'node:crypto'
import type { AppErrorShape, ErrorCode, Locale } from '../../shared/contract'
import { translate } from '../../shared/i18n'

type Params = Record<string, string | number>

/**
 * An expected failure with a code from the contract's closed list. `key` names the i18n
 * message (defaults to `errors.<code>`), so every transport can say it in the caller's language.
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly key: string
  readonly params?: Params
  readonly issues?: { path: string; message: string }[]

  constructor(code: ErrorCode, key?: string, params?: Params, issues?: { path: string; message: string }[]) {
    super(translate('en', key ?? `errors.${code}`, params))
    this.name = 'AppError'
    this.code = code
    this.key = key ?? `errors.${code}`
    this.params = params
    this.issues = issues
  }

  toShape(locale: Locale): AppErrorShape {
    const shape: AppErrorShape = { code: this.code, message: translate(locale, this.key, this.params), key: this.key }
    if (this.params) shape.params = this.params
    if (this.issues) shape.issues = this.issues
    return shape
  }
}

/**
 * SQLite's "database is locked": another connection held the write lock longer than the busy
 * timeout (or a snapshot went stale). Nothing was written; the same request a moment later works.
 */
export function isDatabaseBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY')
}

/** What an expected failure is on the wire: an AppError as it is, a busy database as a retryable UNAVAILABLE. */
export function knownError(err: unknown): AppError | null {
  if (err instanceof AppError) return err
  if (isDatabaseBusy(err)) return new AppError('UNAVAILABLE', 'errors.databaseBusy')
  return null
}

interface ErrorLog {
  error(msg: string, extra?: unknown): void
}

/**
 * An unexpected failure: logged with its stack under a short reference, which the caller gets in
 * the message ("系统内部错误（编号 7F3A9C）"), so that what a user reports can be found in the log.
 */
export function internalError(logger: ErrorLog, what: string, err: unknown): AppError {
  const ref = randomBytes(3).toString('hex').toUpperCase()
  logger.error(`${what} [ref ${ref}]`, err instanceof Error ? err : new Error(String(err)))
  return new AppError('INTERNAL', 'errors.internalRef', { ref })
}

/** Anything thrown becomes a wire error; unexpected ones are INTERNAL and say nothing inside. */
export function toErrorShape(err: unknown, locale: Locale): AppErrorShape {
  return (knownError(err) ?? new AppError('INTERNAL')).toShape(locale)
}
