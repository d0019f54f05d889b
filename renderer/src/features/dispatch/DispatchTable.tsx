import { useState } from 'react'
import { Alert, Button, Select, Space, Table, Tag, Typography, message } from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Dispatch } from '../../../../shared/contract'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { centre } from '../../ui/centre-time'

const STATE_COLORS: Record<Dispatch['state'], string> = {
  new: 'gold',
  assigned: 'blue',
  visited: 'cyan',
  signed: 'green',
  not_interested: 'default',
  absent: 'orange'
}

/** 派单: the dispatches a leader (their team's) or a supervisor (all) sees, late ones flagged, each assigned to an agent of its own team. */
export function DispatchTable() {
  const { t } = useTranslation()
  const api = useApi()
  const list = useQuery({ queryKey: ['dispatch.list'], queryFn: () => api.invoke('dispatch.list', {}) })
  useInvalidateOn('dispatch.changed', ['dispatch.list'])
  const [error, setError] = useState<unknown>(null)
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error !== null && (
        <Alert type="error" showIcon title={errorText(t, error)} closable onClose={() => setError(null)} />
      )}
      <Table<Dispatch>
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 50 }}
        data-testid="dispatches"
        rowClassName={(d) => (d.late ? 'row-late' : '')}
        columns={[
          { title: t('dispatch.ui.customer'), dataIndex: 'customerName' },
          { title: t('dispatch.ui.district'), dataIndex: 'district' },
          { title: t('dispatch.ui.visitAt'), dataIndex: 'visitAt', render: (x: string) => centre.format(x) },
          { title: t('dispatch.ui.operator'), dataIndex: 'operatorName' },
          { title: t('dispatch.ui.product'), dataIndex: 'productInterest' },
          {
            title: t('dispatch.ui.state'),
            key: 'state',
            render: (_, d) => <Tag color={STATE_COLORS[d.state]}>{t(`dispatch.states.${d.state}`)}</Tag>
          },
          {
            title: t('dispatch.ui.due'),
            key: 'due',
            render: (_, d) => (
              <Space size={4}>
                <span>{centre.format(d.state === 'new' ? d.assignDue : (d.confirmDue ?? d.assignDue))}</span>
                {d.late && <Tag color="red">{t(`dispatch.late.${d.late}`)}</Tag>}
              </Space>
            )
          },
          {
            title: t('dispatch.ui.agent'),
            key: 'agent',
            render: (_, d) => <AssignControl dispatch={d} onError={setError} />
          }
        ]}
      />
    </Space>
  )
}

function AssignControl({ dispatch, onError }: { dispatch: Dispatch; onError: (e: unknown) => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const qc = useQueryClient()
  const [open, setOpen] = useState(false)
  const [agent, setAgent] = useState<number | undefined>(dispatch.agentId ?? undefined)
  const agents = useQuery({
    queryKey: ['dispatch.agents', dispatch.id],
    queryFn: () => api.invoke('dispatch.agents', { dispatchId: dispatch.id }),
    enabled: open
  })
  if (dispatch.state !== 'new' && dispatch.state !== 'assigned') return <span>{dispatch.agentName ?? '—'}</span>
  const assign = async () => {
    if (!agent) return
    try {
      await api.invoke('dispatch.assign', { dispatchId: dispatch.id, agentId: agent })
      // every row's list of agents shows their open visits: all of them are out of date now
      await qc.invalidateQueries({ queryKey: ['dispatch.agents'] })
      void message.success(t('dispatch.ui.assigned'))
    } catch (err) {
      onError(err)
    }
  }
  const counts = new Map((agents.data ?? []).map((a) => [a.id, a.open]))
  return (
    <Space.Compact>
      <Select
        style={{ width: 180 }}
        placeholder={t('dispatch.ui.pickAgent')}
        value={agent}
        onChange={setAgent}
        onOpenChange={setOpen}
        loading={agents.isLoading}
        aria-label={t('dispatch.ui.pickAgent')}
        // the chosen agent shows by name; the open visits are counted in the list, where they are fresh
        options={(
          agents.data ?? (dispatch.agentId ? [{ id: dispatch.agentId, name: dispatch.agentName ?? '', open: 0 }] : [])
        ).map((a) => ({ value: a.id, label: a.name }))}
        optionRender={(o) => (
          <span>
            {o.label}
            {counts.has(Number(o.value)) && (
              <Typography.Text type="secondary">
                （{t('dispatch.ui.openVisits', { count: counts.get(Number(o.value)) })}）
              </Typography.Text>
            )}
          </span>
        )}
        popupRender={(menu) => (
          <>
            <Typography.Text type="secondary" style={{ display: 'block', padding: '4px 12px', fontSize: 12 }}>
              {t('dispatch.ui.sameDistrictOnly')}
            </Typography.Text>
            {menu}
          </>
        )}
      />
      <Button type="primary" disabled={!agent || agent === dispatch.agentId} onClick={assign}>
        {dispatch.agentId ? t('dispatch.ui.reassign') : t('dispatch.ui.assign')}
      </Button>
    </Space.Compact>
  )
}
