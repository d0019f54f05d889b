import { useEffect } from 'react'
import { HUB_URL_KEY } from '../../api/client'

/** Tells the desktop app which hub this seat uses, for its updates (a seat on its own data has none); nothing in a browser. */
export function useDesktopHub(): void {
  useEffect(() => void window.leadline?.updates?.setHub(localStorage.getItem(HUB_URL_KEY)), [])
}
