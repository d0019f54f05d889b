import { Card } from 'antd'
import { useTranslation } from 'react-i18next'
import { useCurrentUser } from '../auth/AuthProvider'
import { DispatchTable } from './DispatchTable'

/** 本区派单 (district group leader): the team's accepted leads, to assign to its own agents by 09:30. */
export function DistrictDispatchPage() {
  const { t } = useTranslation()
  const me = useCurrentUser()
  return (
    <Card size="small" title={t('nav.districtDispatch')} extra={t('dispatch.ui.leaderHint', { name: me.displayName })}>
      <DispatchTable />
    </Card>
  )
}
