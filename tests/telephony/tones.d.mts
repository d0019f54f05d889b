export function writeToneWav(
  file: string,
  hz: number,
  opts?: { onMs?: number; offMs?: number; seconds?: number; amplitude?: number }
): string
