import { useState } from 'react'
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography
} from 'antd'
import type { Dayjs } from 'dayjs'
import { centre } from '../../ui/centre-time'
import { useTranslation } from 'react-i18next'
import type { AllocationPlan } from '../../../../shared/contract'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { PoolRulesCard } from './PoolRulesCard'
import { useMethodQuery } from '../../api/queries'

/** The centre's next working day: batches are handed out the evening before. */
function nextWorkingDay(): Dayjs {
  let d = centre.wallNow().startOf('day').add(1, 'day')
  while (d.day() === 0 || d.day() === 6) d = d.add(1, 'day')
  return d
}

export function AllocationPage() {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [day, setDay] = useState<Dayjs>(nextWorkingDay)
  const [per, setPer] = useState(30)
  const [plan, setPlan] = useState<AllocationPlan>()
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const campaigns = useMethodQuery('campaigns.list', {}, ['campaigns.list'])
  const openCampaigns = (campaigns.data ?? []).filter((c) => c.active && !c.training)
  const [chosenCampaign, setCampaign] = useState<number>()
  // the campaign the batches come from (its pool, its rules); the first open one until another is chosen
  const campaignId = chosenCampaign ?? openCampaigns[0]?.id ?? 1
  const input = { day: day.format('YYYY-MM-DD'), perOperator: per, campaignId }

  const run = async (method: 'allocation.preview' | 'allocation.commit') => {
    setBusy(true)
    setError(undefined)
    try {
      const p = await api.invoke(method, input)
      setPlan(p)
      if (method === 'allocation.commit') void message.success(t('leads.allocDone', { total: p.total }))
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('leads.allocTitle')}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          {error !== undefined && <Alert type="error" showIcon message={errorText(t, error)} />}
          <Form layout="inline">
            <Form.Item label={t('leads.campaign')}>
              <Select
                aria-label={t('leads.campaign')}
                data-testid="alloc-campaign"
                style={{ minWidth: 180 }}
                value={campaignId}
                onChange={(v: number) => (setCampaign(v), setPlan(undefined))}
                options={openCampaigns.map((c) => ({ value: c.id, label: c.name }))}
              />
            </Form.Item>
            <Form.Item label={t('leads.allocDay')}>
              <DatePicker value={day} allowClear={false} onChange={(d) => d && setDay(d)} />
            </Form.Item>
            <Form.Item label={t('leads.allocPer')}>
              <InputNumber min={1} max={500} value={per} onChange={(v) => setPer(v ?? 30)} />
            </Form.Item>
            <Button onClick={() => void run('allocation.preview')} loading={busy}>
              {t('leads.allocPreview')}
            </Button>
            <Popconfirm
              title={t('leads.allocCommit')}
              onConfirm={() => void run('allocation.commit')}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
            >
              <Button type="primary" disabled={!plan} loading={busy}>
                {t('leads.allocCommit')}
              </Button>
            </Popconfirm>
            <Button
              onClick={() =>
                api.invoke('pool.recallNow', {}).then(
                  (r) => void message.info(t('leads.recalled', { n: r.recalled })),
                  (e: unknown) => void message.error(errorText(t, e))
                )
              }
            >
              {t('leads.recallNow')}
            </Button>
          </Form>
          {plan && (
            <>
              <Typography.Text strong>{t('leads.allocTotal', { total: plan.total })}</Typography.Text>
              {plan.shortage > 0 && (
                <Alert type="warning" showIcon message={t('leads.allocShortage', { n: plan.shortage })} />
              )}
              <Table
                size="small"
                rowKey="operatorId"
                pagination={false}
                dataSource={plan.operators}
                columns={[
                  { title: t('leads.allocOperator'), dataIndex: 'name' },
                  { title: t('leads.allocAlready'), dataIndex: 'already' },
                  { title: t('leads.allocAdding'), dataIndex: 'adding' },
                  {
                    title: t('leads.allocSources'),
                    dataIndex: 'bySource',
                    render: (m: Record<string, number>) =>
                      Object.entries(m).map(([s, n]) => <Tag key={s}>{`${s} ${n}`}</Tag>)
                  }
                ]}
              />
            </>
          )}
        </Space>
      </Card>
      <PoolRulesCard campaignId={campaignId} />
    </Space>
  )
}
