import { useSyncExternalStore } from 'react'

/** A phone's screen: narrower than Ant Design's `md` breakpoint (768 px), as the field agents' phones are. */
const PHONE = '(max-width: 767.98px)'

export function isPhoneScreen(): boolean {
  return window.matchMedia(PHONE).matches
}

/** Whether this is a phone's screen, following the window as it turns or is resized. */
export function usePhoneScreen(): boolean {
  return useSyncExternalStore((changed) => {
    const query = window.matchMedia(PHONE)
    query.addEventListener('change', changed)
    return () => query.removeEventListener('change', changed)
  }, isPhoneScreen)
}
