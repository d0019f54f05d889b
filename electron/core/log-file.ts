import { appendFileSync, chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from './invoke'

/**
 * Personal data never reaches a log: mobile numbers keep their first three and last four digits
 * (138****5678), landlines their area code and last four, ID card numbers their first six and last
 * four. Applied to every line, messages and error stacks alike.
 */
export function maskPersonal(text: string): string {
  return (
    text
      // 18-digit ID card numbers (the last may be X)
      .replace(/(?<![\dA-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![\dA-Za-z])/g, '$1********$2')
      // mobiles, bare or with +86 / 86 / 0086 in front
      .replace(/(?<!\d)((?:\+?86|0086)?[-\s]?1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2')
      // landlines: 0 + a 2–3 digit area code, then 7–8 digits (separators allowed)
      .replace(/(?<!\d)(0\d{2,3})([-\s]?)\d{3,4}(\d{4})(?!\d)/g, '$1$2****$3')
  )
}

function text(msg: string, extra: unknown): string {
  if (extra === undefined) return msg
  const e = extra instanceof Error ? (extra.stack ?? extra.message) : JSON.stringify(extra)
  return `${msg} ${e}`
}

/**
 * A log file in a folder that rotates by size: `leadline.log` up to `maxBytes`, then it becomes
 * `leadline.1.log` (and so on, `keep` old files at most). Files are readable by the data folder's
 * owner only. Writing is synchronous and small, so a crash loses nothing already logged.
 */
export class RotatingLog implements Logger {
  readonly file: string

  constructor(
    private dir: string,
    private opts: { maxBytes?: number; keep?: number; name?: string } = {}
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    this.file = join(dir, `${opts.name ?? 'leadline'}.log`)
  }

  private old(n: number): string {
    return join(this.dir, `${this.opts.name ?? 'leadline'}.${n}.log`)
  }

  private rotate(): void {
    const keep = this.opts.keep ?? 5
    rmSync(this.old(keep), { force: true })
    for (let n = keep - 1; n >= 1; n--) if (existsSync(this.old(n))) renameSync(this.old(n), this.old(n + 1))
    renameSync(this.file, this.old(1))
  }

  write(level: 'info' | 'warn' | 'error', msg: string, extra?: unknown): void {
    try {
      const line = `${new Date().toISOString()} ${level.toUpperCase()} ${maskPersonal(text(msg, extra))}\n`
      const size = existsSync(this.file) ? statSync(this.file).size : 0
      if (size > 0 && size + line.length > (this.opts.maxBytes ?? 5 * 1024 * 1024)) this.rotate()
      const fresh = !existsSync(this.file)
      appendFileSync(this.file, line, { mode: 0o600 })
      if (fresh) chmodSync(this.file, 0o600)
    } catch {
      // a full disk or a removed folder must not take the hub down with its log
    }
  }

  info(msg: string, extra?: unknown): void {
    this.write('info', msg, extra)
  }
  warn(msg: string, extra?: unknown): void {
    this.write('warn', msg, extra)
  }
  error(msg: string, extra?: unknown): void {
    this.write('error', msg, extra)
  }
}

/** Every message to each of the loggers (the terminal and the log file). */
export function teeLogger(...loggers: Logger[]): Logger {
  return {
    info: (m, e) => loggers.forEach((l) => l.info(m, e)),
    warn: (m, e) => loggers.forEach((l) => l.warn(m, e)),
    error: (m, e) => loggers.forEach((l) => l.error(m, e))
  }
}
