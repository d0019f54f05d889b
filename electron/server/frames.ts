/**
 * Checks a WebSocket frame before JSON.parse sees it: parsing a 4 MB frame of nested brackets
 * blocks the event loop for seconds (every other seat waits), so depth is counted first, in one
 * pass that skips strings, and a frame that nests too deep is refused unparsed.
 */
export function jsonTooDeep(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92 /* \ */) i++
      else if (c === 34 /* " */) inString = false
      continue
    }
    if (c === 34) inString = true
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return true
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--
  }
  return false
}

/** The id a frame carries, read without parsing it, so that even a refused frame is answered to its caller. */
export function peekId(text: string): number {
  const m = /"id"\s*:\s*(\d{1,15})\b/.exec(text.slice(0, 256))
  return m ? Number(m[1]) : -1
}
