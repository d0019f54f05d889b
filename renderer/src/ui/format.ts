import dayjs from 'dayjs'

/** Times as these users write them: 2026-11-23 10:05:00, whatever the browser's own locale. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : ''
}
