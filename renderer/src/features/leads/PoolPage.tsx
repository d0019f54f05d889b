import { useDeferredValue, useMemo, useState } from 'react'
import { Card, DatePicker, Input, InputNumber, Select, Space, Table, Tabs, Tag, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { centre } from '../../ui/centre-time'
import { SearchOutlined } from '@ant-design/icons'
import { useInfiniteQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { LeadSummary } from '../../../../shared/contract'
import { LEAD_STATUSES } from '../../../../shared/contract/enums'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { keys, useMethodQuery } from '../../api/queries'
import { DncPanel } from './DncPanel'
import { LeadDrawer } from './LeadDrawer'
import { RegionFilter, type RegionValue } from './RegionFilter'
import { DistrictSelect } from '../../ui/DistrictSelect'

const PAGE = 200

export function LeadTable({ own = false }: { own?: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const [q, setQ] = useState('')
  const [status, setStatus] = useState<string[]>([])
  const [district, setDistrict] = useState<string>()
  const [region, setRegion] = useState<RegionValue>({})
  const [batchId, setBatchId] = useState<number>()
  const [owner, setOwner] = useState<number | 0>()
  const [minAttempts, setMinAttempts] = useState<number | null>(null)
  const [created, setCreated] = useState<[Dayjs | null, Dayjs | null] | null>(null)
  const [open, setOpen] = useState<number | null>(null)
  // Typing stays fluid: the query follows the deferred value.
  const query = useDeferredValue(q)
  const districts = useMethodQuery('districts.list', {}, keys.districts)
  const batches = useMethodQuery('leads.batches', { limit: 200 }, ['leads.batches'], !own)
  const operators = useMethodQuery('users.list', { role: 'operator' }, keys.users({ role: 'operator' }), !own)
  useInvalidateOn('leads.changed', ['leads.search'])
  const filter = useMemo(
    () => ({
      q: query.trim() || undefined,
      status: status.length ? (status as LeadSummary['status'][]) : undefined,
      districtCode: district,
      phoneProvince: region.province,
      phoneCity: region.city,
      batchId,
      ownerId: owner === undefined ? undefined : owner === 0 ? null : owner,
      minAttempts: minAttempts ?? undefined,
      createdFrom: created?.[0] ? centre.days(created[0], created[0]).from : undefined,
      createdTo: created?.[1] ? centre.days(created[1], created[1]).to : undefined
    }),
    [query, status, district, region, batchId, owner, minAttempts, created]
  )
  const search = useInfiniteQuery({
    queryKey: ['leads.search', filter],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => api.invoke('leads.search', { ...filter, beforeId: pageParam, limit: PAGE }),
    getNextPageParam: (last) => last.nextBeforeId ?? undefined,
    placeholderData: (prev) => prev
  })
  const rows = useMemo(() => search.data?.pages.flatMap((p) => p.rows) ?? [], [search.data])
  const districtName = (code: string | null) => districts.data?.find((d) => d.code === code)?.name ?? ''

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input
          allowClear
          autoFocus
          prefix={<SearchOutlined />}
          style={{ width: 360 }}
          placeholder={t('leads.searchPlaceholder')}
          aria-label={t('leads.searchPlaceholder')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <Select
          mode="multiple"
          allowClear
          style={{ minWidth: 200 }}
          placeholder={t('leads.status')}
          value={status}
          onChange={setStatus}
          options={LEAD_STATUSES.map((s) => ({ value: s, label: t(`leads.statuses.${s}`) }))}
        />
        <DistrictSelect
          allowClear
          style={{ width: 160 }}
          placeholder={t('leads.district')}
          value={district}
          onChange={setDistrict}
        />
        <RegionFilter value={region} onChange={setRegion} />
        {!own && (
          <Select
            allowClear
            style={{ width: 220 }}
            placeholder={t('leads.batch')}
            value={batchId}
            onChange={setBatchId}
            options={(batches.data ?? []).map((b) => ({ value: b.id, label: `#${b.id} ${b.fileName}` }))}
          />
        )}
        {!own && (
          <Select
            allowClear
            style={{ width: 180 }}
            placeholder={t('leads.ownerFilter')}
            value={owner}
            onChange={setOwner}
            options={[
              { value: 0, label: t('leads.publicPool') },
              ...(operators.data ?? []).map((u) => ({ value: u.id, label: u.displayName }))
            ]}
          />
        )}
        <InputNumber
          min={0}
          placeholder={t('leads.attemptsFilter')}
          style={{ width: 130 }}
          value={minAttempts}
          onChange={setMinAttempts}
        />
        <DatePicker.RangePicker
          value={created}
          onChange={(v) => setCreated(v)}
          placeholder={[t('leads.dateFilter'), t('leads.dateFilter')]}
        />
        <Typography.Text type="secondary">
          {t('leads.loadedRows', { n: rows.length })}
          {!search.hasNextPage && rows.length > 0 ? ` · ${t('leads.noMore')}` : ''}
        </Typography.Text>
      </Space>
      <Table<LeadSummary>
        virtual
        size="small"
        rowKey="id"
        loading={search.isFetching && !search.isFetchingNextPage}
        dataSource={rows}
        pagination={false}
        // fits a 1366-px screen beside the menu without scrolling sideways (so no column need stay fixed
        // over the others); the address takes what is left
        scroll={{ y: 560, x: 1060 }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        onScroll={(e) => {
          const el = e.currentTarget
          if (
            el.scrollHeight - el.scrollTop - el.clientHeight < 400 &&
            search.hasNextPage &&
            !search.isFetchingNextPage
          )
            void search.fetchNextPage()
        }}
        columns={[
          { title: t('leads.fields.name'), dataIndex: 'name', width: 96, ellipsis: true },
          { title: t('leads.fields.phone'), dataIndex: 'phone', width: 120 },
          {
            title: t('leads.phoneRegion'),
            dataIndex: 'phoneRegion',
            width: 130,
            render: (r: string, l) => (
              <span title={l.phoneCarrier}>
                {r}
                {l.phoneCarrier && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {' '}
                    {l.phoneCarrier.replace('中国', '')}
                  </Typography.Text>
                )}
              </span>
            )
          },
          {
            title: t('leads.fields.gender'),
            dataIndex: 'gender',
            width: 52,
            render: (g: 'M' | 'F' | null) => (g ? t(`leads.gender.${g}`) : '')
          },
          { title: t('leads.fields.birthDate'), dataIndex: 'birthDate', width: 100 },
          {
            title: t('leads.fields.age'),
            dataIndex: 'age',
            width: 60,
            render: (age: number | null, r: LeadSummary) =>
              age === null ? (
                ''
              ) : r.ageApprox ? (
                <span title={t('leads.ageApproxHint')}>{t('leads.ageApprox', { age })}</span>
              ) : (
                age
              )
          },
          {
            title: t('leads.district'),
            dataIndex: 'districtCode',
            width: 90,
            render: (c: string | null) => districtName(c)
          },
          { title: t('leads.fields.address'), dataIndex: 'address', ellipsis: true },
          {
            title: t('leads.status'),
            dataIndex: 'status',
            width: 96,
            render: (s: string) => <Tag>{t(`leads.statuses.${s}`)}</Tag>
          },
          { title: t('leads.attempts'), dataIndex: 'attempts', width: 76 },
          {
            title: t('leads.createdAt'),
            dataIndex: 'createdAt',
            width: 136,
            render: (v: string) => centre.format(v, 'YYYY-MM-DD HH:mm')
          }
        ]}
      />
      <LeadDrawer id={open} onClose={() => setOpen(null)} />
    </Space>
  )
}

/** 名单池: the supervisor's search over the whole pool, and the do-not-call list. */
export function PoolPage() {
  const { t } = useTranslation()
  return (
    <Card>
      <Tabs
        items={[
          { key: 'pool', label: t('nav.pool'), children: <LeadTable /> },
          { key: 'dnc', label: t('leads.dncTitle'), children: <DncPanel /> }
        ]}
      />
    </Card>
  )
}
