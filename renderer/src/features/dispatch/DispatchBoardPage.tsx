import { useState } from 'react'
import { Alert, Button, Card, Col, DatePicker, Row, Space, Statistic, Table, Tabs, Typography, message } from 'antd'
import { DownloadOutlined, MailOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import type { Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { download } from '../../api/files'
import { DispatchTable } from './DispatchTable'
import { UncoveredAlert } from './UncoveredAlert'
import { useCentreClock } from '../../ui/centre-time'

const CHAIN = ['successes', 'qaPassed', 'dispatched', 'assigned', 'visited', 'signed', 'followedUp'] as const

/** 派单跟踪 (supervisors): each success through QA, dispatch, the visit and the follow-up; what is late; the day's package. */
export function DispatchBoardPage() {
  const { t } = useTranslation()
  const api = useApi()
  const clock = useCentreClock()
  // The centre's today, whatever this seat's clock and zone say.
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [
    clock.wallNow().startOf('day'),
    clock.wallNow().startOf('day')
  ])
  const [day, setDay] = useState<Dayjs>(() => clock.wallNow().startOf('day'))
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const period = clock.days(range[0], range[1])
  const board = useQuery({ queryKey: ['dispatch.board', period], queryFn: () => api.invoke('dispatch.board', period) })
  const followUps = useQuery({
    queryKey: ['followUps.report', period],
    queryFn: () => api.invoke('followUps.report', period)
  })
  useInvalidateOn('dispatch.changed', ['dispatch.board'])
  useInvalidateOn('dispatch.changed', ['followUps.report'])
  const run = async (fn: () => Promise<void>) => {
    setError(null)
    setBusy(true)
    try {
      await fn()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  const b = board.data
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        size="small"
        title={t('nav.dispatch')}
        extra={
          <Space wrap>
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            />
            <Button
              icon={<DownloadOutlined />}
              onClick={() =>
                run(async () => {
                  const r = await api.invoke('reports.export', { report: 'districts', ...period })
                  await download(api, r.token, r.fileName)
                })
              }
            >
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
        {b && <UncoveredAlert uncovered={b.uncovered} style={{ marginBottom: 8 }} />}
        <Typography.Paragraph type="secondary" data-testid="figures-rule" style={{ marginBottom: 8 }}>
          {t('reports.simulatedRule')}
        </Typography.Paragraph>
        <Row gutter={16} data-testid="chain">
          {CHAIN.map((k) => (
            <Col key={k} xs={12} md={3}>
              <Statistic title={t(`dispatch.chain.${k}`)} value={b?.chain[k] ?? 0} />
            </Col>
          ))}
          <Col xs={24} md={3}>
            <Statistic
              title={t('dispatch.chain.late')}
              value={b ? b.late.assign + b.late.confirm + b.late.followUps : 0}
              valueStyle={{ color: b && b.late.assign + b.late.confirm + b.late.followUps ? '#cf1322' : undefined }}
            />
          </Col>
        </Row>
      </Card>
      <Card size="small">
        <Tabs
          items={[
            { key: 'list', label: t('dispatch.ui.listTab'), children: <DispatchTable /> },
            {
              key: 'districts',
              label: t('dispatch.ui.districtsTab'),
              children: (
                <Table
                  size="small"
                  rowKey="district"
                  pagination={false}
                  dataSource={b?.districts ?? []}
                  columns={(['district', 'dispatched', 'assigned', 'visited', 'signed', 'hoursToVisit'] as const).map(
                    (k) => ({ title: t(`dispatch.cols.${k}`), dataIndex: k })
                  )}
                />
              )
            },
            {
              key: 'agents',
              label: t('dispatch.ui.agentsTab'),
              children: (
                <Table
                  size="small"
                  rowKey="agent"
                  pagination={false}
                  dataSource={b?.agents ?? []}
                  columns={(
                    ['agent', 'district', 'assigned', 'visited', 'signed', 'satisfied', 'complaints'] as const
                  ).map((k) => ({ title: t(`dispatch.cols.${k}`), dataIndex: k }))}
                />
              )
            },
            {
              key: 'followUps',
              label: t('dispatch.ui.followUpsTab'),
              children: (
                <Table
                  size="small"
                  rowKey={(r) => `${r.district}|${r.agent}`}
                  pagination={false}
                  dataSource={followUps.data ?? []}
                  columns={[
                    { title: t('dispatch.cols.agent'), dataIndex: 'agent' },
                    { title: t('dispatch.cols.district'), dataIndex: 'district' },
                    { title: t('dispatch.cols.done'), dataIndex: 'done' },
                    { title: t('dispatch.cols.inTime'), dataIndex: 'inTime' },
                    { title: t('dispatch.cols.reached'), dataIndex: 'reached' },
                    { title: t('dispatch.cols.satisfied'), dataIndex: 'satisfied' },
                    {
                      title: t('dispatch.cols.complaints'),
                      key: 'c',
                      render: (_, r) =>
                        Object.entries(r.complaints)
                          .map(([k, v]) => `${t(`followUps.complaints.${k}`)} ${v}`)
                          .join('，') || '—'
                    },
                    { title: t('dispatch.cols.unreachable'), dataIndex: 'unreachable' },
                    { title: t('dispatch.cols.cancellations'), dataIndex: 'cancellations' }
                  ]}
                />
              )
            },
            {
              key: 'package',
              label: t('dispatch.ui.packageTab'),
              children: (
                <Space wrap>
                  <DatePicker
                    value={day}
                    allowClear={false}
                    onChange={(v) => v && setDay(v)}
                    aria-label={t('dispatch.ui.packageDay')}
                  />
                  <Button
                    icon={<DownloadOutlined />}
                    loading={busy}
                    onClick={() =>
                      run(async () => {
                        const p = await api.invoke('dispatch.package', { day: day.format('YYYY-MM-DD') })
                        await download(api, p.token, p.fileName)
                      })
                    }
                  >
                    {t('dispatch.ui.downloadPackage')}
                  </Button>
                  <Button
                    icon={<MailOutlined />}
                    loading={busy}
                    onClick={() =>
                      run(async () => {
                        const r = await api.invoke('dispatch.sendPackage', { day: day.format('YYYY-MM-DD') })
                        void message.success(
                          t('dispatch.ui.packageSent', { count: r.successes, to: r.sentTo.join('，') })
                        )
                      })
                    }
                  >
                    {t('dispatch.ui.sendPackage')}
                  </Button>
                </Space>
              )
            }
          ]}
        />
      </Card>
    </Space>
  )
}
