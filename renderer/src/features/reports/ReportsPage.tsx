import { useMemo, useState } from 'react'
import { Alert, Button, Card, DatePicker, Select, Space, Table, Tabs, Typography } from 'antd'
import { DownloadOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import type { OperatorRow, TeamRow } from '../../../../shared/contract'
import { FUNNEL_STEPS } from '../../../../shared/contract/enums'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { download } from '../../api/files'
import { Chart, barLayout } from '../../ui/Chart'
import { centre, useCentreClock } from '../../ui/centre-time'
import { useTeamScope, type TeamScopeValue } from '../teams/TeamScope'

type Tab = 'operators' | 'teams' | 'funnel' | 'numberQuality' | 'daily'

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`)

/** 统计报表 (supervisors): operators and the funnel over any period; charts to look at, tables to read, Excel out. */
export function ReportsPage() {
  const { t } = useTranslation()
  const api = useApi()
  const qc = useQueryClient()
  const clock = useCentreClock()
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [
    clock.wallNow().startOf('day'),
    clock.wallNow().startOf('day')
  ])
  const [error, setError] = useState<unknown>(null)
  const [tab, setTab] = useState<Tab>('operators')
  const [campaignId, setCampaignId] = useState<number | undefined>()
  const { scope, picker } = useTeamScope()
  const campaigns = useQuery({ queryKey: ['campaigns.list'], queryFn: () => api.invoke('campaigns.list', {}) })
  const period = clock.days(range[0], range[1])
  const exportXlsx = async () => {
    setError(null)
    try {
      if (tab === 'daily') return
      // the screen first catches up with the hub (calls go on meanwhile), so that the file and the
      // figures on the screen are of the same moment
      await qc.refetchQueries({ queryKey: [`reports.${tab}`] })
      const r = await api.invoke('reports.export', {
        report: tab,
        ...period,
        ...((tab === 'operators' || tab === 'teams') && campaignId ? { campaignId } : {}),
        ...(tab === 'operators' && scope !== undefined ? { teamId: scope } : {})
      })
      await download(api, r.token, r.fileName)
    } catch (err) {
      setError(err)
    }
  }
  return (
    <Card
      size="small"
      title={t('nav.reports')}
      extra={
        <Space wrap>
          <span>{t('reports.period')}</span>
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            aria-label={t('reports.period')}
          />
          {tab === 'operators' && picker}
          {(tab === 'operators' || tab === 'teams') && (
            <Select
              allowClear
              placeholder={t('reports.allCampaigns')}
              style={{ width: 150 }}
              value={campaignId}
              onChange={setCampaignId}
              options={(campaigns.data ?? []).filter((c) => !c.training).map((c) => ({ value: c.id, label: c.name }))}
            />
          )}
          <Button icon={<DownloadOutlined />} onClick={exportXlsx} data-testid="export-report">
            {t('reports.export')}
          </Button>
        </Space>
      }
    >
      {error !== null && (
        <Alert
          type="error"
          showIcon
          title={errorText(t, error)}
          closable
          onClose={() => setError(null)}
          style={{ marginBottom: 8 }}
        />
      )}
      <Typography.Text type="secondary" data-testid="figures-rule">
        {t('reports.simulatedRule')}
      </Typography.Text>
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as Tab)}
        items={[
          {
            key: 'operators',
            label: t('reports.operators'),
            children: <Operators period={period} campaignId={campaignId} scope={scope} />
          },
          { key: 'teams', label: t('reports.teams'), children: <Teams period={period} campaignId={campaignId} /> },
          { key: 'funnel', label: t('reports.funnel'), children: <Funnel period={period} /> },
          { key: 'numberQuality', label: t('reports.numberQuality'), children: <NumberQuality period={period} /> },
          { key: 'daily', label: t('reports.dailyTab'), children: <DailyReports onError={setError} /> }
        ]}
      />
    </Card>
  )
}

/** Per team, from the same daily figures; the operators in no team on a line of their own. */
function Teams({ period, campaignId }: { period: { from: string; to: string }; campaignId?: number }) {
  const { t } = useTranslation()
  const api = useApi()
  const q = useQuery({
    queryKey: ['reports.teams', period, campaignId],
    queryFn: () => api.invoke('reports.teams', { ...period, ...(campaignId ? { campaignId } : {}) })
  })
  return (
    <Table<TeamRow>
      size="small"
      rowKey={(r) => r.teamId ?? 0}
      loading={q.isLoading}
      dataSource={q.data ?? []}
      pagination={false}
      data-testid="teams-report"
      columns={[
        { title: t('reports.cols.team'), dataIndex: 'team', render: (v: string | null) => v ?? t('reports.noTeam') },
        { title: t('reports.cols.operators'), dataIndex: 'operators' },
        { title: t('reports.cols.calls'), dataIndex: 'calls' },
        { title: t('reports.cols.connected'), dataIndex: 'connected' },
        { title: t('reports.cols.connectRate'), dataIndex: 'connectRate', render: pct },
        { title: t('reports.cols.talkSec'), dataIndex: 'talkSec' },
        { title: t('reports.cols.successes'), dataIndex: 'successes' },
        { title: t('reports.cols.conversion'), dataIndex: 'conversion', render: pct }
      ]}
    />
  )
}

function Operators({
  period,
  campaignId,
  scope
}: {
  period: { from: string; to: string }
  campaignId?: number
  scope: TeamScopeValue
}) {
  const { t } = useTranslation()
  const api = useApi()
  const q = useQuery({
    queryKey: ['reports.operators', period, campaignId, scope],
    queryFn: () =>
      api.invoke('reports.operators', {
        ...period,
        ...(campaignId ? { campaignId } : {}),
        ...(scope !== undefined ? { teamId: scope } : {})
      })
  })
  const rows = useMemo(() => q.data ?? [], [q.data])
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: barLayout(rows.length).legend,
      grid: barLayout(rows.length).grid,
      xAxis: { type: 'category', data: rows.map((r) => r.operator), axisLabel: barLayout(rows.length).axisLabel },
      yAxis: { type: 'value' },
      series: (['calls', 'connected', 'successes'] as const).map((k) => ({
        name: t(`reports.cols.${k}`),
        type: 'bar',
        data: rows.map((r) => r[k])
      }))
    }),
    [rows, t]
  )
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Chart option={option} height={280} testId="operators-chart" empty={!q.isLoading && rows.length === 0} />
      <Table<OperatorRow>
        size="small"
        rowKey="operatorId"
        loading={q.isLoading}
        dataSource={rows}
        pagination={false}
        data-testid="operators-report"
        columns={[
          { title: t('reports.cols.operator'), dataIndex: 'operator' },
          { title: t('reports.cols.calls'), dataIndex: 'calls' },
          { title: t('reports.cols.connected'), dataIndex: 'connected' },
          { title: t('reports.cols.connectRate'), dataIndex: 'connectRate', render: pct },
          { title: t('reports.cols.talkSec'), dataIndex: 'talkSec' },
          { title: t('reports.cols.ahtSec'), dataIndex: 'ahtSec' },
          { title: t('reports.cols.successes'), dataIndex: 'successes' },
          { title: t('reports.cols.conversion'), dataIndex: 'conversion', render: pct },
          { title: t('reports.cols.qaReviews'), dataIndex: 'qaReviews' },
          { title: t('reports.cols.qaAverage'), dataIndex: 'qaAverage', render: (x: number | null) => x ?? '—' },
          { title: t('reports.cols.qaPassRate'), dataIndex: 'qaPassRate', render: pct },
          {
            title: t('reports.cols.pause'),
            key: 'pause',
            render: (_, r) =>
              Object.entries(r.pauseSec)
                .map(([k, v]) => `${t(`desk.pauseReasons.${k}`)} ${Math.round(v / 60)}′`)
                .join('，') || '—'
          }
        ]}
      />
    </Space>
  )
}

function Funnel({ period }: { period: { from: string; to: string } }) {
  const { t } = useTranslation()
  const api = useApi()
  const q = useQuery({ queryKey: ['reports.funnel', period], queryFn: () => api.invoke('reports.funnel', period) })
  const steps = useMemo(() => q.data?.steps ?? [], [q.data])
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 90, right: 40, bottom: 20, top: 10 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: steps.map((s) => t(`reports.steps.${s.step}`)) },
      series: [{ type: 'bar', data: steps.map((s) => s.count), label: { show: true, position: 'right' } }]
    }),
    [steps, t]
  )
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Chart
        option={option}
        height={300}
        testId="funnel-chart"
        empty={!q.isLoading && steps.every((s) => s.count === 0)}
      />
      <Table
        size="small"
        rowKey="step"
        pagination={false}
        loading={q.isLoading}
        dataSource={steps}
        data-testid="funnel"
        columns={[
          { title: t('reports.cols.step'), dataIndex: 'step', render: (s: string) => t(`reports.steps.${s}`) },
          { title: t('reports.cols.count'), dataIndex: 'count' },
          { title: t('reports.cols.rate'), dataIndex: 'rate', render: pct }
        ]}
      />
      <Typography.Text strong>{t('reports.byBatch')}</Typography.Text>
      <Table
        size="small"
        rowKey="batchId"
        pagination={false}
        dataSource={q.data?.batches ?? []}
        scroll={{ x: 900 }}
        columns={[
          { title: t('reports.cols.batch'), dataIndex: 'batch' },
          { title: t('reports.cols.source'), dataIndex: 'source' },
          ...FUNNEL_STEPS.map((s) => ({
            title: t(`reports.steps.${s}`),
            key: s,
            render: (_: unknown, b: { counts: Record<string, number> }) => b.counts[s]
          }))
        ]}
      />
    </Space>
  )
}

function NumberQuality({ period }: { period: { from: string; to: string } }) {
  const { t } = useTranslation()
  const api = useApi()
  const q = useQuery({
    queryKey: ['reports.numberQuality', period],
    queryFn: () => api.invoke('reports.numberQuality', period)
  })
  return (
    <Table
      size="small"
      rowKey="batchId"
      pagination={false}
      loading={q.isLoading}
      dataSource={q.data ?? []}
      data-testid="number-quality"
      columns={[
        ...(
          [
            'batch',
            'source',
            'rows',
            'imported',
            'invalidAtImport',
            'dialed',
            'vacant',
            'suspended',
            'wrongNumber'
          ] as const
        ).map((k) => ({ title: t(`reports.cols.${k}`), dataIndex: k })),
        { title: t('reports.cols.badShare'), dataIndex: 'badShare', render: pct }
      ]}
    />
  )
}

function DailyReports({ onError }: { onError: (e: unknown) => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const list = useQuery({ queryKey: ['reports.dailyList'], queryFn: () => api.invoke('reports.dailyList', {}) })
  const settings = useQuery({ queryKey: ['settings.get'], queryFn: () => api.invoke('settings.get', {}) })
  const get = async (day: string, fresh: boolean) => {
    try {
      const r = await api.invoke('reports.daily', { day, fresh })
      await download(api, r.token, r.fileName)
      await list.refetch()
    } catch (err) {
      onError(err)
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button type="primary" onClick={() => get(centre.today(), true)}>
          {t('reports.makeDaily')}
        </Button>
        <Typography.Text type="secondary">
          {t('reports.dailyHint', { at: settings.data?.reports.dailyAt ?? '19:30' })}
        </Typography.Text>
      </Space>
      <Table
        size="small"
        rowKey="day"
        pagination={{ pageSize: 31 }}
        loading={list.isLoading}
        dataSource={list.data ?? []}
        columns={[
          { title: t('reports.period'), dataIndex: 'day' },
          { title: '', dataIndex: 'createdAt', render: (x: string) => centre.format(x) },
          {
            title: '',
            key: 'dl',
            render: (_, r) => (
              <Button size="small" icon={<DownloadOutlined />} onClick={() => get(r.day, false)}>
                {t('reports.download')}
              </Button>
            )
          }
        ]}
      />
    </Space>
  )
}
