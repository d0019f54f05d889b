import { useState, type ReactNode } from 'react'
import { Select } from 'antd'
import { useTranslation } from 'react-i18next'
import { useMethodQuery } from '../../api/queries'

/** What a team-scoped view asks core for: left out, the supervisor's own teams; a team; or every team. */
export type TeamScopeValue = number | 'all' | undefined

/**
 * The team a view shows (实时看板, 统计报表, 申诉与退回): a supervisor starts on their own team and may
 * switch to another or to all where the centre allows it; core checks it again.
 */
export function useTeamScope(): { scope: TeamScopeValue; picker: ReactNode } {
  const { t } = useTranslation()
  const teams = useMethodQuery('teams.list', {}, ['teams.list'])
  const [scope, setScope] = useState<TeamScopeValue>(undefined)
  const list = teams.data?.teams ?? []
  const mine = list.filter((tm) => tm.mine)
  const seeAll = teams.data?.seeAll ?? false
  if (!list.length) return { scope, picker: null }
  const options = [
    ...(mine.length
      ? [{ value: 'mine', label: t('teams.scope.mine', { names: mine.map((tm) => tm.name).join('、') }) }]
      : []),
    ...(seeAll || !mine.length ? [{ value: 'all', label: t('teams.scope.all') }] : []),
    ...list.filter((tm) => seeAll || tm.mine).map((tm) => ({ value: String(tm.id), label: tm.name }))
  ]
  const value = scope === undefined ? (mine.length ? 'mine' : 'all') : String(scope)
  const picker = (
    <Select
      size="small"
      style={{ minWidth: 160 }}
      value={value}
      options={options}
      data-testid="team-scope"
      aria-label={t('teams.scope.label')}
      onChange={(v: string) => setScope(v === 'mine' ? undefined : v === 'all' ? 'all' : Number(v))}
    />
  )
  return { scope, picker }
}
