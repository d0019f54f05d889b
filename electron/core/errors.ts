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

/** Anything thrown becomes a wire error; unexpected ones are INTERNAL and say nothing inside. */
export function toErrorShape(err: unknown, locale: Locale): AppErrorShape {
  if (err instanceof AppError) return err.toShape(locale)
  return new AppError('INTERNAL').toShape(locale)
}
