import { centre } from './centre-time'

/** Times as these users write them: 2026-11-23 10:05:00, in the centre's time zone whatever the browser's. */
export function formatTime(iso: string | null | undefined): string {
  return centre.format(iso)
}
