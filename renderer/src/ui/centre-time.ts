import { useSyncExternalStore } from 'react'
import dayjs, { type Dayjs } from 'dayjs'
import { atLocal } from '../../../shared/domain/calling-time'

/**
 * The centre's clock on every seat. The hub decides on which day and at what time things happen
 * (calling windows, deadlines, today's figures), in the centre's time zone; a seat's own clock
 * may be wrong and its zone another one (a browser in UTC, a laptop set to the wrong day). So
 * every "today", default period, date picker and time shown goes through here, never through
 * `new Date()`, `dayjs()` or `toLocaleString()`.
 *
 * Date pickers work in the browser's local time; they are given the centre's *wall time*: a dayjs
 * whose fields (year … minute) are the centre's, and what is picked is read back in the centre's
 * zone (`instant`). One clock for the whole page, set from `system.now` (CentreClockSync).
 */
interface ClockState {
  zone: string
  /** The hub's clock minus this seat's, in ms. */
  offsetMs: number
  known: boolean
}

let state: ClockState = { zone: 'Asia/Shanghai', offsetMs: 0, known: false }
const listeners = new Set<() => void>()

export function setCentreClock(zone: string, offsetMs: number): void {
  if (state.known && state.zone === zone && Math.abs(state.offsetMs - offsetMs) < 1000) return
  state = { zone, offsetMs, known: true }
  listeners.forEach((l) => l())
}

const partsCache = new Map<string, Intl.DateTimeFormat>()
function wallParts(at: Date, zone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  let f = partsCache.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit'
    })
    partsCache.set(zone, f)
  }
  const p: Record<string, number> = {}
  for (const x of f.formatToParts(at)) if (x.type !== 'literal') p[x.type] = Number(x.value)
  return { y: p.year, mo: p.month, d: p.day, h: p.hour % 24, mi: p.minute, s: p.second }
}

export const centre = {
  zone: (): string => state.zone,
  offsetMs: (): number => state.offsetMs,
  /** The hub's time now. */
  now: (): Date => new Date(Date.now() + state.offsetMs),
  /** The centre's wall time of an instant, as the pickers show it. */
  wall(at: Date | string | number): Dayjs {
    const w = wallParts(new Date(at), state.zone)
    return dayjs(new Date(w.y, w.mo - 1, w.d, w.h, w.mi, w.s))
  },
  wallNow(): Dayjs {
    return centre.wall(centre.now())
  },
  /** The instant of a wall time picked in a picker (its fields are the centre's). */
  instant(w: Dayjs): Date {
    return new Date(
      atLocal(w.format('YYYY-MM-DD'), w.hour() * 60 + w.minute(), state.zone).getTime() +
        w.second() * 1000 +
        w.millisecond()
    )
  },
  /** The centre's date today, YYYY-MM-DD. */
  today(): string {
    return centre.wallNow().format('YYYY-MM-DD')
  },
  /** The instants a range of whole days (wall dates) covers in the centre's zone: [00:00 of the first, 00:00 after the last). */
  days(from: Dayjs, to: Dayjs): { from: string; to: string } {
    return {
      from: atLocal(from.format('YYYY-MM-DD'), 0, state.zone).toISOString(),
      to: atLocal(to.add(1, 'day').format('YYYY-MM-DD'), 0, state.zone).toISOString()
    }
  },
  /** A time as these users write it, in the centre's zone: 2026-11-23 10:05:00. */
  format(at: string | Date | null | undefined, pattern = 'YYYY-MM-DD HH:mm:ss'): string {
    return at ? centre.wall(at).format(pattern) : ''
  }
}

/** Re-renders when the centre's clock becomes known or changes (time zone, a corrected offset). */
export function useCentreClock(): typeof centre {
  useSyncExternalStore(
    (l) => (listeners.add(l), () => void listeners.delete(l)),
    () => state
  )
  return centre
}

/** How far this seat is off the centre: its clock (ms), and whether its time zone shows another wall time now. */
export function seatDrift(): { clockMs: number; zoneDiffers: boolean } {
  const now = centre.now()
  const w = wallParts(now, state.zone)
  const zoneDiffers = w.h !== now.getHours() || w.d !== now.getDate() || w.mi !== now.getMinutes()
  return { clockMs: state.offsetMs, zoneDiffers }
}
