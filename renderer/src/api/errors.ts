import type { TFunction } from 'i18next'
import type { AppErrorShape, ErrorCode } from '../../../shared/contract'

/** A failed call, as the UI sees it: the contract's error, ready to show in the user's language. */
export class ApiError extends Error {
  readonly code: ErrorCode
  readonly key?: string
  readonly params?: Record<string, string | number>
  readonly issues?: { path: string; message: string }[]
  constructor(shape: AppErrorShape) {
    super(shape.message)
    this.name = 'ApiError'
    this.code = shape.code
    this.key = shape.key
    this.params = shape.params
    this.issues = shape.issues
  }
}

/** The message in the UI's current language (the server's text when the UI has no such key). */
export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    const key = err.key ?? `errors.${err.code}`
    const text = String(t(key, err.params ?? {}))
    return text === key ? err.message : text
  }
  return err instanceof Error ? err.message : String(err)
}
