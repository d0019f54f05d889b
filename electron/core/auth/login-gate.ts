import { AppError } from '../errors'

/** Where a call comes from, without the transport's prefix: 'ws 192.168.1.7' → '192.168.1.7'. */
export function addressOf(source: string): string {
  return source.replace(/^ws\s+/, '').replace(/^::ffff:/, '')
}

interface Queued {
  run: () => void
  address: string
}

/**
 * Password checks (scrypt, tens of ms of CPU each) go through here: a few at a time, a bounded
 * queue, a share per address, and none for a caller that has gone. A flood of logins from one
 * machine is refused at once instead of making every seat wait behind it.
 */
export class LoginGate {
  private running = 0
  private queue: Queued[] = []
  /** Recent failures per address (ms timestamps), for the per-address rate limit. */
  private failures = new Map<string, number[]>()

  // The queue holds a whole floor (300 seats typing their passwords at once wait their turn rather than
  // being refused); each address still has a share of 8, so a flood from a few machines cannot fill it.
  constructor(private opts = { concurrency: 2, maxQueued: 320, perAddressQueued: 8, failuresPerMinute: 30 }) {}

  /** An address that failed this often in the last minute waits before it may try again. */
  blocked(address: string, now: number): boolean {
    const recent = (this.failures.get(address) ?? []).filter((t) => now - t < 60_000)
    if (recent.length) this.failures.set(address, recent)
    else this.failures.delete(address)
    return recent.length >= this.opts.failuresPerMinute
  }

  noteFailure(address: string, now: number): void {
    this.failures.set(address, [...(this.failures.get(address) ?? []), now].slice(-this.opts.failuresPerMinute))
  }

  /** Runs a password check when its turn comes; refuses at once when the queue or the address's share is full, or the caller left meanwhile. */
  check<T>(address: string, gone: () => boolean, work: () => Promise<T>): Promise<T> {
    const queuedHere = this.queue.filter((q) => q.address === address).length
    if (this.queue.length >= this.opts.maxQueued || queuedHere >= this.opts.perAddressQueued)
      return Promise.reject(new AppError('UNAVAILABLE', 'errors.tooManyLogins'))
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        if (gone()) {
          reject(new AppError('UNAVAILABLE', 'errors.tooManyLogins'))
          return this.next()
        }
        this.running++
        work()
          .then(resolve, reject)
          .finally(() => {
            this.running--
            this.next()
          })
      }
      if (this.running < this.opts.concurrency) start()
      else this.queue.push({ run: start, address })
    })
  }

  private next(): void {
    while (this.running < this.opts.concurrency && this.queue.length) this.queue.shift()!.run()
  }
}
