/** Core never reads the wall clock directly: tests inject their own. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  private t: number
  constructor(start: Date | string) {
    this.t = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.t)
  }
  advance(ms: number): void {
    this.t += ms
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime()
  }
}

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE

/**
 * A clock that runs at the normal pace from a chosen instant (LEADLINE_CLOCK_START for the
 * hub): end-to-end tests and training rooms can work inside the calling windows at any hour.
 * `since` (LEADLINE_CLOCK_SINCE, epoch ms) is the real moment that instant stands for, so that
 * another process (the tests) can keep the very same clock; without it, the moment it is made.
 */
export class ShiftedClock implements Clock {
  private offset: number
  constructor(start: Date | string, since = Date.now()) {
    this.offset = new Date(start).getTime() - since
    if (Number.isNaN(this.offset)) throw new Error(`not a time: ${String(start)}`)
  }
  now(): Date {
    return new Date(Date.now() + this.offset)
  }
}
