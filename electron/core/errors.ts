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
  /** The first problem of a refused input, as zod found it: which field, what kind, its limit. */
  detail?: InputIssue

  constructor(code: ErrorCode, key?: string, params?: Params, issues?: { path: string; message: string }[]) {
    super(translate('en', key ?? `errors.${code}`, params))
    this.name = 'AppError'
    this.code = code
    this.key = key ?? `errors.${code}`
    this.params = params
    this.issues = issues
  }

  toShape(locale: Locale): AppErrorShape {
    // a refused input names its field and what is wrong with it, in the reader's language
    if (this.code === 'INVALID_INPUT' && this.key === 'errors.INVALID_INPUT' && this.detail) {
      const params = inputProblem(locale, this.detail)
      return {
        code: this.code,
        message: translate(locale, 'errors.invalidField', params),
        key: 'errors.invalidField',
        params,
        issues: this.issues
      }
    }
    const shape: AppErrorShape = { code: this.code, message: translate(locale, this.key, this.params), key: this.key }
    if (this.params) shape.params = this.params
    if (this.issues) shape.issues = this.issues
    return shape
  }
}

export interface InputIssue {
  path: (string | number)[]
  code: string
  minimum?: number | bigint
  maximum?: number | bigint
  origin?: string
  message?: string
}

/** The field (its name in words when it has one, else its path) and what is wrong with it. */
export function inputProblem(locale: Locale, i: InputIssue): { field: string; problem: string } {
  const names = i.path.filter((p): p is string => typeof p === 'string')
  const last = names[names.length - 1]
  const named = last ? translate(locale, `inputFields.${last}`) : ''
  const field = named && named !== `inputFields.${last}` ? named : i.path.join('.') || '—'
  const limit = Number(i.code === 'too_big' ? i.maximum : i.minimum)
  const text = i.origin === 'string' || i.origin === 'array'
  let kind: string
  if (i.code === 'too_big') kind = text ? 'tooLong' : 'tooBig'
  else if (i.code === 'too_small') kind = text ? (limit <= 1 ? 'empty' : 'tooShort') : 'tooSmall'
  else if (i.code === 'invalid_value') kind = 'notAllowed'
  else if (i.code === 'invalid_type') kind = /received undefined/.test(i.message ?? '') ? 'missing' : 'badFormat'
  else if (i.code === 'invalid_format') kind = 'badFormat'
  else kind = 'other'
  return { field, problem: translate(locale, `errors.inputProblem.${kind}`, { limit }) }
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
