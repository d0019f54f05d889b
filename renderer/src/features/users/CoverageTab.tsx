import { Alert, App, Select, Table, Tag } from 'antd'
import { useTranslation } from 'react-i18next'
import type { DistrictCoverage } from '../../../../shared/contract'
import { useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { useMethodMutation, useMethodQuery } from '../../api/queries'
import { centre } from '../../ui/centre-time'

/**
 * 区县覆盖: every district's field team — its own leader and agents, or the team of a district that
 * covers it. A district with waiting successes and nobody to visit them is shown in red.
 */
export function CoverageTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const coverage = useMethodQuery('districts.coverage', {}, ['districts.coverage'])
  useInvalidateOn('dispatch.changed', ['districts.coverage'])
  useInvalidateOn('users.changed', ['districts.coverage'])
  const setCover = useMethodMutation('districts.setCover', [['districts.coverage'], ['dispatch.board']])
  const rows = coverage.data ?? []
  const own = rows.filter((d) => !d.coveredBy)
  return (
    <>
      <Alert type="info" showIcon message={t('coverage.hint')} style={{ marginBottom: 12 }} />
      <Table<DistrictCoverage>
        rowKey="code"
        size="small"
        data-testid="coverage"
        loading={coverage.isLoading}
        dataSource={rows}
        pagination={false}
        columns={[
          { title: t('coverage.district'), render: (_, d) => `${d.name} (${d.code})` },
          {
            title: t('coverage.team'),
            render: (_, d) =>
              canEdit ? (
                <Select<string>
                  size="small"
                  style={{ width: 200 }}
                  value={d.coveredBy ?? ''}
                  data-testid={`cover-${d.code}`}
                  options={[
                    { value: '', label: t('coverage.own') },
                    ...own
                      .filter((o) => o.code !== d.code)
                      .map((o) => ({ value: o.code, label: t('coverage.by', { name: o.name }) }))
                  ]}
                  onChange={(v) =>
                    setCover.mutate(
                      { code: d.code, coveredBy: v || null },
                      { onError: (e) => void message.error(errorText(t, e)) }
                    )
                  }
                />
              ) : d.coveredBy ? (
                t('coverage.by', { name: d.coveredByName })
              ) : (
                t('coverage.own')
              )
          },
          { title: t('coverage.leaders'), dataIndex: 'leaders' },
          { title: t('coverage.agents'), dataIndex: 'agents' },
          {
            title: t('coverage.waiting'),
            render: (_, d) =>
              d.openDispatches
                ? `${d.openDispatches}（${t('coverage.due', { at: centre.format(d.assignDue!, 'MM-DD HH:mm') })}）`
                : 0
          },
          {
            title: t('coverage.state'),
            render: (_, d) =>
              d.problem ? (
                <Tag color={d.openDispatches ? 'red' : 'orange'}>{t(`coverage.problems.${d.problem}`)}</Tag>
              ) : (
                <Tag color="green">{t('coverage.ok')}</Tag>
              )
          }
        ]}
      />
    </>
  )
}
