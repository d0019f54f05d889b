import type { TFunction } from 'i18next'
import { weekdayRuns } from '../../../shared/domain/calling-time'

/** Weekdays as people write them: 周一至周日, 周一至周五、周日; Mon–Fri, Sun. */
export function daysText(days: readonly number[], t: TFunction): string {
  return weekdayRuns(days)
    .map(([a, b]) =>
      a === b
        ? t(`campaigns.days.${a}`)
        : b === a + 1
          ? `${t(`campaigns.days.${a}`)}${t('campaigns.daySep')}${t(`campaigns.days.${b}`)}`
          : t('campaigns.dayRange', { from: t(`campaigns.days.${a}`), to: t(`campaigns.days.${b}`) })
    )
    .join(t('campaigns.daySep'))
}
