import { randomBytes } from 'node:crypto'
import type { Locale, Result } from '../../shared/contract'
import { stderrLogger, type Core, type createCore } from '../core'
import { AppError, toErrorShape } from '../core/errors'

/** Messages in Chinese where the administrator's environment is. */
export const locale: Locale = /^zh/i.test(process.env.LEADLINE_LANG ?? process.env.LANG ?? '') ? 'zh-CN' : 'en'

/** Every command, for the help and the unknown-command error. */
export const COMMANDS = [
  'serve',
  'tls ca',
  'sip set',
  'sip list',
  'sip remove',
  'sip test',
  'users add',
  'users list',
  'users passwd',
  'import',
  'dnc import',
  'dnc check',
  'numbers import',
  'numbers list',
  'numbers pick',
  'apikey create',
  'apikey list',
  'apikey revoke',
  'storage set',
  'storage check',
  'storage migrate',
  'privacy export',
  'privacy erase',
  'retention run',
  'backup',
  'restore',
  'diagnose',
  'updates publish',
  'migrate',
  'help'
]

/** Opens the data folder's core for a command (the hub keeps it; other commands close it). */
export type OpenCore = (extra?: Partial<Parameters<typeof createCore>[0]>) => Promise<Core>

export class CliExit extends Error {}

export function fail(
  key: string,
  params?: Record<string, string | number>,
  code: 'INVALID_INPUT' | 'NOT_FOUND' = 'INVALID_INPUT'
): never {
  throw new AppError(code, key, params)
}

export function unwrap<T>(r: Result<unknown>): T {
  if (!r.ok) throw Object.assign(new CliExit(r.error.message), { shape: r.error })
  return r.value as T
}

export function report(json: boolean, err: unknown): number {
  const shape =
    err instanceof CliExit
      ? (err as CliExit & { shape: ReturnType<typeof toErrorShape> }).shape
      : toErrorShape(err, locale)
  if (!(err instanceof AppError) && !(err instanceof CliExit)) stderrLogger.error('command failed', err)
  if (json) process.stdout.write(JSON.stringify({ error: { code: shape.code, message: shape.message } }) + '\n')
  else process.stderr.write(`${shape.message}\n`)
  return 1
}

export function generatePassword(): string {
  return randomBytes(9).toString('base64url')
}
