import { Card, Empty } from 'antd'
import { useTranslation } from 'react-i18next'

/** A workspace a later version fills in; it names itself so the navigation can be tried now. */
export function Workspace({ title }: { title: string }) {
  const { t } = useTranslation()
  return (
    <Card title={title}>
      <Empty description={t('common.comingSoon')} />
    </Card>
  )
}
