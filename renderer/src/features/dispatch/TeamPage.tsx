import { Card, Table, Tag } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'

/** 地面人员 (leaders): the team's field agents and their visits — open, late, visited, signed. */
export function TeamPage() {
  const { t } = useTranslation()
  const api = useApi()
  const team = useQuery({ queryKey: ['dispatch.team'], queryFn: () => api.invoke('dispatch.team', {}) })
  useInvalidateOn('dispatch.changed', ['dispatch.team'])
  return (
    <Card size="small" title={t('nav.agents')}>
      <Table
        size="small"
        rowKey="id"
        loading={team.isLoading}
        dataSource={team.data ?? []}
        pagination={false}
        data-testid="team"
        columns={[
          { title: t('dispatch.cols.agent'), dataIndex: 'name' },
          { title: t('dispatch.cols.district'), dataIndex: 'district' },
          { title: t('dispatch.cols.open'), dataIndex: 'open' },
          {
            title: t('dispatch.late.confirm'),
            dataIndex: 'late',
            render: (n: number) => (n ? <Tag color="red">{n}</Tag> : 0)
          },
          { title: t('dispatch.cols.visited'), dataIndex: 'visited' },
          { title: t('dispatch.cols.signed'), dataIndex: 'signed' }
        ]}
      />
    </Card>
  )
}
