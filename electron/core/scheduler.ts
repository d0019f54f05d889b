import type { Logger } from './invoke'

export interface Job {
  /** Says what failed in the log. */
  name: string
  everyMs: number
  run: () => unknown
  /** A safety net that runs even when the schedule is off (tests): stale leases and recordings. */
  always?: true
}

/**
 * Core's timers, declared by the domains (their `jobs`) and started by `createCore` unless it is
 * told not to (tests drive the jobs themselves with their own clock). A job's run never overlaps
 * itself; a failure is logged and the next turn tries again.
 */
export class Scheduler {
  private timers: ReturnType<typeof setInterval>[] = []

  constructor(private logger: Logger) {}

  start(jobs: Job[]): void {
    for (const job of jobs) {
      let running = false
      const t = setInterval(() => {
        if (running) return
        running = true
        Promise.resolve()
          .then(job.run)
          .catch((err: unknown) => this.logger.error(job.name, err))
          .finally(() => (running = false))
      }, job.everyMs)
      t.unref?.()
      this.timers.push(t)
    }
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t)
    this.timers = []
  }
}
