import { Alert, Card, Space } from 'antd'
import { useTranslation } from 'react-i18next'
import { useMethodQuery } from '../../api/queries'
import { formatTime } from '../../ui/format'
import { LeadTable } from './PoolPage'

/** 我的线索: the operator's private pool and batches, numbers masked by core. */
export function MyLeadsPage() {
  const { t } = useTranslation()
  const warnings = useMethodQuery('pool.myWarnings', {}, ['pool.myWarnings'])
  const w = warnings.data ?? []
  return (
    <Card title={t('leads.myLeads')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        {w.length > 0 && (
          <Alert
            type="warning"
            showIcon
            message={t('leads.recallWarning', { n: w.length, when: formatTime(w[w.length - 1].recallAt) })}
          />
        )}
        <LeadTable own />
      </Space>
    </Card>
  )
}
