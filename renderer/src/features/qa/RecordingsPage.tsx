import { useMemo, useState } from 'react'
import {
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Tabs,
  Typography,
  message
} from 'antd'
import type { TableProps } from 'antd'
import { DownloadOutlined } from '@ant-design/icons'
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import type { Dayjs } from 'dayjs'
import { centre } from '../../ui/centre-time'
import { useTranslation } from 'react-i18next'
import type { LibraryFilter, LibraryRow } from '../../../../shared/contract'
import { LIBRARY_SORTS, QA_STATES } from '../../../../shared/contract/enums'
import { useApi, useApiEvent, useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { download } from '../../api/files'
import { useMethodQuery } from '../../api/queries'
import { Chart, barLayout } from '../../ui/Chart'
import { useCurrentUser } from '../auth/AuthProvider'
import { clockOf, useHashParams } from '../shell/use-hash-params'
import { ReviewView } from './ReviewView'
import { QaStateTag, ReasonTags, pct } from './parts'
import { DistrictSelect } from '../../ui/DistrictSelect'
import { RegionFilter } from '../leads/RegionFilter'

const PAGE = 200
type Sort = (typeof LIBRARY_SORTS)[number]

/** 录音库: every recording, found by anything a reviewer remembers of the call; opens the review page. */
export function RecordingsPage() {
  const [params, setParams] = useHashParams()
  const rec = Number(params.get('rec') ?? 0)
  if (rec) return <ReviewView recordingId={rec} onBack={() => setParams({ rec: null, t: null })} />
  return <Library open={(id) => setParams({ rec: String(id), t: null })} />
}

function Library({ open }: { open: (recordingId: number) => void }) {
  const { t } = useTranslation()
  const me = useCurrentUser()
  return (
    <Card size="small" title={t('nav.recordings')}>
      <Tabs
        items={[
          { key: 'list', label: t('qa.library.listTab'), children: <LibraryList open={open} /> },
          ...(me.role !== 'operator'
            ? [{ key: 'stats', label: t('qa.library.statsTab'), children: <OperatorStats /> }]
            : [])
        ]}
      />
    </Card>
  )
}

function LibraryList({ open }: { open: (recordingId: number) => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const [filter, setFilter] = useState<LibraryFilter>({})
  const [q, setQ] = useState('')
  const [sort, setSort] = useState<{ by: Sort; dir: 'asc' | 'desc' }>({ by: 'startedAt', dir: 'desc' })
  const [selected, setSelected] = useState<number[]>([])
  const [exporting, setExporting] = useState<{ id: string; done: number; total: number } | null>(null)
  const [error, setError] = useState<unknown>(null)
  const campaigns = useQuery({ queryKey: ['campaigns.list'], queryFn: () => api.invoke('campaigns.list', {}) })
  // QA may not read the user list: the operators' names come from their own narrow method
  const operators = useMethodQuery('users.names', {}, ['users.names'])
  const queryKey = ['qa.library', filter, sort]
  const lib = useInfiniteQuery({
    queryKey,
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      api.invoke('qa.library', { filter, sort: sort.by, dir: sort.dir, offset: pageParam, limit: PAGE }),
    getNextPageParam: (last, pages) => (pages.length * PAGE < last.total ? pages.length * PAGE : undefined)
  })
  useInvalidateOn('qa.changed', ['qa.library'])
  useApiEvent('recordings.exportProgress', (p) =>
    setExporting((e) => (e && e.id === p.exportId ? { ...e, done: p.done, total: p.total } : e))
  )
  const rows = useMemo(() => lib.data?.pages.flatMap((p) => p.rows) ?? [], [lib.data])
  const total = lib.data?.pages[0]?.total ?? 0
  const dispositions = useMemo(() => {
    const m = new Map<string, string>()
    for (const c of campaigns.data ?? []) for (const d of c.settings.dispositions) m.set(d.code, d.label)
    return [...m].map(([value, label]) => ({ value, label }))
  }, [campaigns.data])

  const patch = (p: Partial<LibraryFilter>) =>
    setFilter(
      (f) =>
        Object.fromEntries(
          Object.entries({ ...f, ...p }).filter(([, v]) => v !== undefined && v !== null && v !== '')
        ) as LibraryFilter
    )

  // the desktop app can write into a folder chosen in the system's dialog; a browser downloads a ZIP
  const pickFolder = window.leadline?.pickFolder
  const [toFolder, setToFolder] = useState(false)
  const exportAs = async (format: 'original' | 'wav') => {
    const id = `x${Date.now().toString(36)}`
    setError(null)
    try {
      const folder = toFolder && pickFolder ? await pickFolder() : null
      if (toFolder && !folder) return
      setExporting({ id, done: 0, total: selected.length })
      const r = await api.invoke('recordings.export', {
        ids: selected,
        format,
        exportId: id,
        ...(folder ? { folderToken: folder.token } : {})
      })
      if (r.token) await download(api, r.token, r.fileName)
      void message.success(
        r.folder
          ? t('qa.library.exportedTo', { files: r.files, folder: r.folder })
          : t('qa.library.exported', { files: r.files })
      )
    } catch (err) {
      setError(err)
    } finally {
      setExporting(null)
    }
  }

  const sorter = (by: Sort) => ({
    sorter: true,
    sortOrder: sort.by === by ? (sort.dir === 'asc' ? ('ascend' as const) : ('descend' as const)) : null
  })
  const columns: TableProps<LibraryRow>['columns'] = [
    {
      title: t('qa.library.time'),
      dataIndex: 'startedAt',
      key: 'startedAt',
      width: 170,
      render: (x: string) => centre.format(x),
      ...sorter('startedAt')
    },
    { title: t('qa.library.operator'), dataIndex: 'operatorName', width: 90 },
    { title: t('qa.library.customer'), dataIndex: 'customerName', width: 90 },
    { title: t('qa.library.phone'), dataIndex: 'phone', width: 130 },
    { title: t('leads.phoneRegion'), dataIndex: 'phoneRegion', width: 110 },
    { title: t('qa.library.campaign'), dataIndex: 'campaignName', width: 110 },
    { title: t('qa.library.outcome'), dataIndex: 'outcome', width: 110 },
    { title: t('qa.library.district'), dataIndex: 'district', width: 90 },
    {
      title: t('qa.library.duration'),
      dataIndex: 'durationMs',
      key: 'durationMs',
      width: 90,
      render: (x: number) => clockOf(x / 1000),
      ...sorter('durationMs')
    },
    {
      title: t('qa.metrics.talkOverShare'),
      key: 'talkOverShare',
      width: 100,
      render: (_, r) => (r.metrics ? pct(r.metrics.talkOverShare) : '—'),
      ...sorter('talkOverShare')
    },
    {
      title: t('qa.metrics.silenceShare'),
      key: 'silenceShare',
      width: 90,
      render: (_, r) => (r.metrics ? pct(r.metrics.silenceShare) : '—'),
      ...sorter('silenceShare')
    },
    {
      title: t('qa.library.qaState'),
      key: 'qa',
      width: 170,
      render: (_, r) => (
        <>
          <QaStateTag state={r.qaState} />
          <ReasonTags reasons={r.reasons} />
        </>
      )
    },
    {
      title: '',
      key: 'open',
      width: 70,
      fixed: 'right',
      render: (_, r) => <Typography.Link onClick={() => open(r.recordingId)}>{t('qa.library.open')}</Typography.Link>
    }
  ]

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('qa.library.search')}
          aria-label={t('qa.library.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => patch({ q: v.trim() || undefined })}
          style={{ width: 240 }}
        />
        <DatePicker.RangePicker
          aria-label={t('qa.library.dates')}
          onChange={(v) => patch(v?.[0] && v[1] ? centre.days(v[0], v[1]) : { from: undefined, to: undefined })}
        />
        <Select
          allowClear
          placeholder={t('qa.library.operator')}
          style={{ width: 140 }}
          showSearch
          optionFilterProp="label"
          data-testid="operator-filter"
          onChange={(v) => patch({ operatorId: v })}
          options={(operators.data ?? []).map((u) => ({
            value: u.id,
            label: u.staffNo ? `${u.name}（${u.staffNo}）` : u.name
          }))}
        />
        <Select
          allowClear
          placeholder={t('qa.library.campaign')}
          style={{ width: 130 }}
          onChange={(v) => patch({ campaignId: v })}
          options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
        <Select
          allowClear
          placeholder={t('qa.library.outcome')}
          style={{ width: 140 }}
          onChange={(v) => patch({ disposition: v })}
          options={dispositions}
        />
        <DistrictSelect
          allowClear
          placeholder={t('qa.library.district')}
          style={{ width: 140 }}
          onChange={(v) => patch({ districtCode: v })}
        />
        <RegionFilter
          value={{ province: filter.phoneProvince, city: filter.phoneCity }}
          onChange={(r) => patch({ phoneProvince: r.province, phoneCity: r.city })}
        />
        <Select
          allowClear
          placeholder={t('qa.library.qaState')}
          style={{ width: 110 }}
          onChange={(v) => patch({ qaState: v })}
          options={QA_STATES.map((s) => ({ value: s, label: t(`qa.states.${s}`) }))}
        />
        <InputNumber
          min={0}
          placeholder={t('qa.library.minSec')}
          aria-label={t('qa.library.minSec')}
          onChange={(v) => patch({ minDurationSec: v ?? undefined })}
          style={{ width: 100 }}
        />
        <InputNumber
          min={0}
          placeholder={t('qa.library.maxSec')}
          aria-label={t('qa.library.maxSec')}
          onChange={(v) => patch({ maxDurationSec: v ?? undefined })}
          style={{ width: 100 }}
        />
      </Space>
      <Space wrap>
        <Typography.Text data-testid="library-total">{t('qa.library.total', { count: total })}</Typography.Text>
        {selected.length > 0 && (
          <Typography.Text>{t('qa.library.selected', { count: selected.length })}</Typography.Text>
        )}
        <Button
          icon={<DownloadOutlined />}
          disabled={!selected.length || exporting !== null}
          onClick={() => exportAs('original')}
        >
          {t('qa.library.exportOriginal')}
        </Button>
        <Button
          icon={<DownloadOutlined />}
          disabled={!selected.length || exporting !== null}
          onClick={() => exportAs('wav')}
        >
          {t('qa.library.exportWav')}
        </Button>
        {pickFolder && (
          <Checkbox checked={toFolder} onChange={(e) => setToFolder(e.target.checked)}>
            {t('qa.library.toFolder')}
          </Checkbox>
        )}
      </Space>
      {error !== null && (
        <Alert type="error" showIcon title={errorText(t, error)} closable onClose={() => setError(null)} />
      )}
      <Table<LibraryRow>
        size="small"
        rowKey="recordingId"
        virtual
        scroll={{ x: 1300, y: 560 }}
        loading={lib.isLoading}
        dataSource={rows}
        columns={columns}
        pagination={false}
        data-testid="library"
        // a virtual table needs the selection column's width, else its checkboxes sit over the first column
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (k) => setSelected(k as number[]),
          columnWidth: 40,
          fixed: 'left'
        }}
        onRow={(r) => ({ onDoubleClick: () => open(r.recordingId) })}
        onChange={(_p, _f, s) => {
          const one = Array.isArray(s) ? s[0] : s
          if (one?.columnKey && one.order)
            setSort({ by: one.columnKey as Sort, dir: one.order === 'ascend' ? 'asc' : 'desc' })
          else setSort({ by: 'startedAt', dir: 'desc' })
        }}
        footer={() => (
          <Space>
            {lib.hasNextPage && (
              <Button size="small" loading={lib.isFetchingNextPage} onClick={() => lib.fetchNextPage()}>
                {rows.length} / {total}
              </Button>
            )}
            {rows.length > 0 && selected.length === 1 && (
              <Button size="small" type="primary" onClick={() => open(selected[0])}>
                {t('qa.library.open')}
              </Button>
            )}
          </Space>
        )}
      />
      <Modal
        open={exporting !== null}
        footer={null}
        closable={false}
        title={exporting ? t('qa.library.exporting', { done: exporting.done, total: exporting.total }) : ''}
      >
        <Progress percent={exporting && exporting.total ? Math.round((exporting.done / exporting.total) * 100) : 0} />
      </Modal>
    </Space>
  )
}

/** The metrics per operator, charted, with their QA figures. */
function OperatorStats() {
  const { t } = useTranslation()
  const api = useApi()
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [
    centre.wallNow().startOf('week'),
    centre.wallNow().startOf('day')
  ])
  const stats = useQuery({
    queryKey: ['qa.operatorStats', range[0].valueOf(), range[1].valueOf()],
    queryFn: () => api.invoke('qa.operatorStats', centre.days(range[0], range[1]))
  })
  const data = useMemo(() => stats.data ?? [], [stats.data])
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      legend: barLayout(data.length).legend,
      grid: barLayout(data.length).grid,
      xAxis: { type: 'category', data: data.map((d) => d.operatorName), axisLabel: barLayout(data.length).axisLabel },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: (['talkOverShare', 'silenceShare', 'operatorTalkShare'] as const).map((k) => ({
        name: t(`qa.metrics.${k}`),
        type: 'bar',
        data: data.map((d) => +(d[k] * 100).toFixed(1))
      }))
    }),
    [data, t]
  )
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <span>{t('qa.stats.period')}</span>
        <DatePicker.RangePicker
          value={range}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          allowClear={false}
        />
      </Space>
      <Chart option={option} testId="operator-chart" empty={!stats.isLoading && data.length === 0} />
      <Table
        size="small"
        rowKey="operatorId"
        loading={stats.isLoading}
        dataSource={data}
        pagination={false}
        columns={[
          { title: t('qa.library.operator'), dataIndex: 'operatorName' },
          { title: t('qa.stats.calls'), dataIndex: 'calls' },
          { title: t('qa.metrics.talkOverShare'), dataIndex: 'talkOverShare', render: pct },
          { title: t('qa.metrics.silenceShare'), dataIndex: 'silenceShare', render: pct },
          {
            title: t('qa.metrics.longestMonologueMs'),
            dataIndex: 'longestMonologueMs',
            render: (x: number) => clockOf(x / 1000)
          },
          { title: t('qa.stats.reviews'), dataIndex: 'reviews' },
          {
            title: t('qa.stats.passRate'),
            dataIndex: 'passRate',
            render: (x: number | null) => (x === null ? '—' : pct(x))
          },
          { title: t('qa.stats.averageScore'), dataIndex: 'averageScore', render: (x: number | null) => x ?? '—' }
        ]}
      />
    </Space>
  )
}
