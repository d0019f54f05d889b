import { Alert } from 'antd'
import type { CSSProperties } from 'react'
import { useTranslation } from 'react-i18next'
import type { DistrictCoverage } from '../../../../shared/contract'
import { centre } from '../../ui/centre-time'

/** Districts whose successes no field team can take (no leader, no agents, not covered): shown on 实时看板 and 派单跟踪. */
export function UncoveredAlert({ uncovered, style }: { uncovered: DistrictCoverage[]; style?: CSSProperties }) {
  const { t } = useTranslation()
  if (!uncovered.length) return null
  return (
    <Alert
      type="error"
      showIcon
      data-testid="uncovered"
      style={style}
      message={t('coverage.alert', { n: uncovered.length })}
      description={uncovered
        .map((u) =>
          t('coverage.alertLine', {
            name: u.name,
            n: u.openDispatches,
            problem: t(`coverage.problems.${u.problem}`),
            at: u.assignDue ? centre.format(u.assignDue, 'MM-DD HH:mm') : '—'
          })
        )
        .join('；')}
    />
  )
}
