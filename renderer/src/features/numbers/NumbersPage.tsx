import { useState } from 'react'
import { Alert, App, Button, Card, Input, Progress, Space, Table, Tag, Typography, Upload } from 'antd'
import { UploadOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { CallerNumber, Output } from '../../../../shared/contract'
import { uploadFile } from '../../api/files'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { useMethodMutation, useMethodQuery } from '../../api/queries'
import { useAuth } from '../auth/AuthProvider'

/** 外显号码 (administrators import, supervisors too see and suspend): the caller-ID pool and which number a customer would see. */
export function NumbersPage() {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const { state } = useAuth()
  const isAdmin = state.status === 'authed' && state.user.role === 'admin'
  const list = useMethodQuery('numbers.list', {}, ['numbers.list'])
  const campaigns = useMethodQuery('campaigns.list', {}, ['campaigns.list'])
  const setStatus = useMethodMutation('numbers.setStatus', [['numbers.list']])
  const [progress, setProgress] = useState<number | null>(null)
  const [importError, setImportError] = useState<unknown>(null)
  const [phone, setPhone] = useState('')
  const [picked, setPicked] = useState<Output<'numbers.pick'> | null>(null)
  const [pickError, setPickError] = useState<unknown>(null)

  const runImport = (file: File) =>
    void (async () => {
      setImportError(null)
      try {
        setProgress(0)
        const uploadId = await uploadFile(api, file, (p) => setProgress(Math.round(p * 90)))
        const r = await api.invoke('numbers.import', { uploadId })
        void message.success(t('numbers.imported', r))
        void list.refetch()
      } catch (e) {
        setImportError(e)
      } finally {
        setProgress(null)
      }
    })()

  const campaignName = (id: number) => campaigns.data?.find((c) => c.id === id)?.name ?? `#${id}`

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title={t('numbers.title')} data-testid="numbers">
        <Typography.Paragraph type="secondary">{t('numbers.hint')}</Typography.Paragraph>
        {isAdmin && (
          <Space direction="vertical" style={{ marginBottom: 12 }}>
            <Upload
              accept=".csv,.txt,.xlsx"
              showUploadList={false}
              beforeUpload={(file) => {
                runImport(file)
                return false
              }}
            >
              <Button icon={<UploadOutlined />} loading={progress !== null} data-testid="numbers-import">
                {t('numbers.import')}
              </Button>
            </Upload>
            {progress !== null && <Progress percent={progress} status="active" style={{ width: 300 }} />}
          </Space>
        )}
        {importError != null && (
          <Alert
            type="error"
            showIcon
            title={errorText(t, importError)}
            style={{ marginBottom: 12 }}
            data-testid="numbers-import-error"
          />
        )}
        {setStatus.error && <Alert type="error" showIcon title={errorText(t, setStatus.error)} />}
        <Table<CallerNumber>
          size="small"
          rowKey="id"
          data-testid="numbers-list"
          loading={list.isLoading}
          dataSource={list.data ?? []}
          locale={{ emptyText: t('numbers.empty') }}
          pagination={{ pageSize: 50 }}
          expandable={{ expandedRowRender: (n) => <NumberHistory id={n.id} /> }}
          columns={[
            { title: t('numbers.number'), dataIndex: 'e164' },
            { title: t('numbers.region'), dataIndex: 'region' },
            {
              title: t('numbers.carrier'),
              render: (_, n) => (
                <Space size={4}>
                  {n.carrier || '—'}
                  {n.dataCarrier && n.carrier && !n.dataCarrier.includes(n.carrier.replace(/^中国/, '')) && (
                    <Tag color="orange">{t('numbers.carrierMismatch', { carrier: n.dataCarrier })}</Tag>
                  )}
                </Space>
              )
            },
            { title: t('numbers.line'), dataIndex: 'line' },
            {
              title: t('numbers.campaigns'),
              render: (_, n) =>
                n.campaigns.length ? n.campaigns.map(campaignName).join('、') : t('numbers.allCampaigns')
            },
            {
              title: t('numbers.today'),
              render: (_, n) => `${n.callsToday} / ${n.dailyCap}`
            },
            {
              title: t('numbers.health'),
              render: (_, n) =>
                n.today.answerRate === null
                  ? '—'
                  : `${Math.round(n.today.answerRate * 100)}%（${n.today.answered}/${n.today.calls}）`
            },
            {
              title: t('numbers.avgTalk'),
              render: (_, n) => (n.today.avgTalkSec === null ? '—' : t('numbers.seconds', { n: n.today.avgTalkSec }))
            },
            { title: t('numbers.refusals'), render: (_, n) => n.today.refusals },
            { title: t('numbers.complaintsCol'), render: (_, n) => n.today.complaints },
            {
              title: t('numbers.status'),
              render: (_, n) =>
                n.status === 'active' ? (
                  <Tag color="green">{t('numbers.statuses.active')}</Tag>
                ) : (
                  <Tag color="red">{`${t('numbers.statuses.suspended')}${n.statusReason ? `：${n.statusReason}` : ''}`}</Tag>
                )
            },
            {
              title: '',
              render: (_, n) => (
                <Button
                  size="small"
                  onClick={() =>
                    setStatus.mutate({
                      id: n.id,
                      status: n.status === 'active' ? 'suspended' : 'active',
                      ...(n.status === 'active' ? { reason: t('numbers.byHand') } : {})
                    })
                  }
                >
                  {n.status === 'active' ? t('numbers.suspend') : t('numbers.resume')}
                </Button>
              )
            }
          ]}
        />
      </Card>
      <Card title={t('numbers.pickTitle')} data-testid="numbers-pick">
        <Space wrap>
          <Input
            style={{ width: 220 }}
            placeholder={t('numbers.customerPhone')}
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
          />
          <Button
            disabled={!phone.trim()}
            onClick={() =>
              void api.invoke('numbers.pick', { phone }).then(
                (r) => {
                  setPickError(null)
                  setPicked(r)
                },
                (e: unknown) => {
                  setPicked(null)
                  setPickError(e)
                }
              )
            }
          >
            {t('numbers.pick')}
          </Button>
        </Space>
        {pickError != null && <Alert type="error" showIcon title={errorText(t, pickError)} style={{ marginTop: 12 }} />}
        {picked && (
          <Typography.Paragraph style={{ marginTop: 12 }} data-testid="numbers-picked">
            {picked.e164 ?? '—'} · {t(`numbers.reasons.${picked.reason}`)}
          </Typography.Paragraph>
        )}
      </Card>
    </Space>
  )
}

/** One number's last seven days: is it wearing out (answered less, refused or complained about more)? */
function NumberHistory({ id }: { id: number }) {
  const { t } = useTranslation()
  const days = useMethodQuery('numbers.health', { id, days: 7 }, ['numbers.health', id])
  return (
    <Table<Output<'numbers.health'>[number]>
      size="small"
      rowKey="day"
      pagination={false}
      loading={days.isLoading}
      dataSource={days.data ?? []}
      data-testid="number-history"
      columns={[
        { title: t('numbers.day'), dataIndex: 'day' },
        { title: t('numbers.calls'), dataIndex: 'calls' },
        {
          title: t('numbers.health'),
          render: (_, d) =>
            d.answerRate === null ? '—' : `${Math.round(d.answerRate * 100)}%（${d.answered}/${d.calls}）`
        },
        {
          title: t('numbers.avgTalk'),
          render: (_, d) => (d.avgTalkSec === null ? '—' : t('numbers.seconds', { n: d.avgTalkSec }))
        },
        { title: t('numbers.refusals'), dataIndex: 'refusals' },
        { title: t('numbers.complaintsCol'), dataIndex: 'complaints' }
      ]}
    />
  )
}
