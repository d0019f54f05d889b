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

/** The browser's own failures (DOMException names) that have a text of their own. */
const BROWSER_ERRORS = new Set([
  'NotAllowedError',
  'NotFoundError',
  'NotReadableError',
  'OverconstrainedError',
  'SecurityError',
  'AbortError',
  'NotSupportedError',
  'NetworkError',
  'TimeoutError'
])

/**
 * The message in the UI's current language (the server's text when the UI has no such key). A
 * failure of the browser itself (a refused microphone, a missing API) gets a text of its own;
 * its raw English message goes to the console, never to the screen.
 */
export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    const key = err.key ?? `errors.${err.code}`
    const text = String(t(key, err.params ?? {}))
    return text === key ? err.message : text
  }
  if (err instanceof DOMException || (err instanceof Error && BROWSER_ERRORS.has(err.name))) {
    console.warn('browser error', err)
    return BROWSER_ERRORS.has(err.name) ? t(`errors.browser.${err.name}`) : t('errors.browser.other')
  }
  // a TypeError or the like comes from the browser or from a bug, not from anything the user did
  if (err instanceof TypeError || err instanceof ReferenceError) {
    console.error('unexpected error', err)
    return t('errors.browser.other')
  }
  return err instanceof Error ? err.message : String(err)
}
