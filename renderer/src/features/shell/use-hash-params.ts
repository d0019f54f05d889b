import { useEffect, useState } from 'react'

function read(): URLSearchParams {
  const h = window.location.hash
  const i = h.indexOf('?')
  return new URLSearchParams(i < 0 ? '' : h.slice(i + 1))
}

/**
 * The query part of the hash route (#/recordings?rec=12&t=192.4): what a page shows and where,
 * so a link can be shared. `replace` updates it without a history entry (the player's position).
 */
export function useHashParams(): [URLSearchParams, (next: Record<string, string | null>, replace?: boolean) => void] {
  const [params, setParams] = useState(read)
  useEffect(() => {
    const on = () => setParams(read())
    window.addEventListener('hashchange', on)
    return () => window.removeEventListener('hashchange', on)
  }, [])
  const set = (next: Record<string, string | null>, replace = false) => {
    const p = read()
    for (const [k, v] of Object.entries(next)) {
      if (v === null) p.delete(k)
      else p.set(k, v)
    }
    const path = window.location.hash.replace(/^#/, '').split('?')[0] || '/'
    const hash = `#${path}${p.size ? `?${p.toString()}` : ''}`
    if (replace) {
      history.replaceState(history.state, '', hash)
      setParams(p)
    } else window.location.hash = hash
  }
  return [params, set]
}

/** 192.4 → "03:12" */
export function clockOf(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const h = Math.floor(s / 3600)
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0')
  const ss = String(s % 60).padStart(2, '0')
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`
}
