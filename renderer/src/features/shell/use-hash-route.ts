import { useEffect, useState } from 'react'

/** Hash routing: works the same from file:// in the desktop app and from the hub. */
export function useHashRoute(): [string, (path: string) => void] {
  const read = () => window.location.hash.replace(/^#/, '').split('?')[0] || '/'
  const [path, setPath] = useState(read)
  useEffect(() => {
    const on = () => setPath(read())
    window.addEventListener('hashchange', on)
    return () => window.removeEventListener('hashchange', on)
  }, [])
  return [path, (p: string) => (window.location.hash = p)]
}
