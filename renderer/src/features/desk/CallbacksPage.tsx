import { Card, Table, Tag } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/ApiProvider'
import { centre } from '../../ui/centre-time'

/** 预约回拨: my callbacks (and open ones of my campaigns), soonest first; the desk calls them first when due. */
export function CallbacksPage() {
  const { t } = useTranslation()
  const api = useApi()
  const q = useQuery({
    queryKey: ['desk.callbacks'],
    queryFn: () => api.invoke('desk.callbacks', {}),
    refetchInterval: 30_000
  })
  return (
    <Card title={t('nav.callbacks')} size="small" extra={t('callbacks.hint')}>
      <Table
        size="small"
        rowKey="id"
        loading={q.isLoading}
        dataSource={q.data ?? []}
        pagination={{ pageSize: 50 }}
        data-testid="my-callbacks"
        columns={[
          {
            title: t('wallboard.dueAt'),
            dataIndex: 'dueAt',
            render: (x: string, c) => (
              <span style={{ color: c.overdue ? '#cf1322' : undefined }}>{centre.format(x)}</span>
            )
          },
          { title: t('wallboard.customer'), dataIndex: 'name' },
          { title: t('wallboard.phone'), dataIndex: 'phone' },
          { title: t('desk.outcome.notes'), dataIndex: 'note' },
          {
            title: '',
            render: (_, c) => [
              c.open ? <Tag key="o">{t('wallboard.open')}</Tag> : null,
              c.overdue ? (
                <Tag key="d" color="red">
                  {t('callbacks.overdue')}
                </Tag>
              ) : null
            ]
          }
        ]}
      />
    </Card>
  )
}
