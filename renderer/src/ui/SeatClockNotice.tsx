import { useTranslation } from 'react-i18next'
import { seatDrift, useCentreClock } from './centre-time'
import { PlainAlert } from './plain'

/** Beyond this, a seat's own clock is worth a word: the page shows the centre's time anyway. */
const CLOCK_OFF_MS = 2 * 60_000

/** Says so when this seat's clock or time zone is not the centre's: everything on the page is in the centre's time. */
export function SeatClockNotice() {
  const { t } = useTranslation()
  const clock = useCentreClock()
  const drift = seatDrift()
  const off = Math.abs(drift.clockMs) >= CLOCK_OFF_MS
  if (!off && !drift.zoneDiffers) return null
  const minutes = Math.round(Math.abs(drift.clockMs) / 60_000)
  const by =
    minutes >= 48 * 60
      ? t('clock.days', { n: Math.round(minutes / 1440) })
      : minutes >= 120
        ? t('clock.hours', { n: Math.round(minutes / 60) })
        : t('clock.minutes', { n: minutes })
  return (
    <PlainAlert
      banner
      type="info"
      testId="seat-clock-notice"
      message={
        off
          ? t('clock.seatOff', { by, zone: clock.zone(), now: clock.format(clock.now(), 'YYYY-MM-DD HH:mm') })
          : t('clock.zoneDiffers', { zone: clock.zone(), now: clock.format(clock.now(), 'YYYY-MM-DD HH:mm') })
      }
    />
  )
}
