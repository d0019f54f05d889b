import { formatTime } from '../../ui/format'
import { Card, Table } from 'antd'
import { useTranslation } from 'react-i18next'
import type { AuditEntry } from '../../../../shared/contract'
import { keys, useMethodQuery } from '../../api/queries'

export function AuditPage() {
  const { t } = useTranslation()
  const q = useMethodQuery('audit.list', { limit: 200 }, keys.audit({ limit: 200 }))
  return (
    <Card title={t('audit.title')}>
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data ?? []}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', width: 180, render: (v: string) => formatTime(v) },
          { title: t('audit.user'), dataIndex: 'username', width: 140 },
          { title: t('audit.action'), dataIndex: 'action', width: 200 },
          { title: t('audit.entity'), render: (_, r) => (r.entity ? `${r.entity} ${r.entityId ?? ''}` : '') },
          { title: t('audit.details'), dataIndex: 'details', render: (d: unknown) => (d ? JSON.stringify(d) : '') }
        ]}
      />
    </Card>
  )
}
