import { useState } from 'react'
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Typography } from 'antd'
import { DeleteOutlined, DownloadOutlined, EditOutlined, SearchOutlined, StopOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/contract'
import { download } from '../../api/files'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { useMethodMutation, useMethodQuery } from '../../api/queries'
import { formatTime } from '../../ui/format'

type Lookup = Output<'privacy.lookup'>
type Card_ = Lookup['leads'][number]
const FIELDS = ['name', 'gender', 'birth_date', 'id_no', 'address', 'employer', 'occupation', 'note'] as const
const CARD_KEY: Record<(typeof FIELDS)[number], keyof Card_> = {
  name: 'name',
  gender: 'gender',
  birth_date: 'birthDate',
  id_no: 'idNo',
  address: 'address',
  employer: 'employer',
  occupation: 'occupation',
  note: 'note'
}

/** 个人信息 (administrators, the privacy officer): one customer's data found by number, exported, corrected, erased; and retention. */
export function PrivacyPage() {
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Customer />
      <Retention />
    </Space>
  )
}

function Customer() {
  const { t } = useTranslation()
  const api = useApi()
  const { message, modal } = App.useApp()
  const [phone, setPhone] = useState('')
  const [found, setFound] = useState<Lookup | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [editing, setEditing] = useState<Card_ | null>(null)
  const [asking, setAsking] = useState<'erase' | 'withdraw' | null>(null)
  const [form] = Form.useForm<Record<(typeof FIELDS)[number], string>>()
  const [reasonForm] = Form.useForm<{ reason: string }>()

  const lookup = async (p = phone) => {
    setError(null)
    try {
      setFound(await api.invoke('privacy.lookup', { phone: p }))
    } catch (e) {
      setFound(null)
      setError(e)
    }
  }
  const act = async (fn: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await fn()
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  const exportAll = () =>
    act(async () => {
      const r = await api.invoke('privacy.export', { phone })
      void message.success(t('privacy.exported', r))
      await download(api, r.token, r.fileName)
    })
  const reasoned = () =>
    void reasonForm.validateFields().then(({ reason }) => {
      const what = asking
      setAsking(null)
      if (what === 'withdraw')
        void act(async () => {
          const r = await api.invoke('privacy.withdrawConsent', { phone, reason })
          void message.success(t('privacy.withdrawn', { leads: r.leadsStopped }))
          await lookup()
        })
      else
        modal.confirm({
          title: t('privacy.erase'),
          content: t('privacy.eraseConfirm'),
          okButtonProps: { danger: true },
          onOk: () =>
            act(async () => {
              const r = await api.invoke('privacy.erase', { phone, reason })
              void message.success(
                t('privacy.erased', {
                  leads: r.removed.leads,
                  calls: r.removed.calls,
                  recordings: r.removed.recordings,
                  proof: r.proofId
                })
              )
              await lookup()
            })
        })
    })

  return (
    <Card title={t('privacy.title')} data-testid="privacy-customer">
      <Typography.Paragraph type="secondary">{t('privacy.hint')}</Typography.Paragraph>
      <Space wrap>
        <Input
          style={{ width: 220 }}
          placeholder={t('privacy.phone')}
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          onPressEnter={() => void lookup()}
          data-testid="privacy-phone"
        />
        <Button icon={<SearchOutlined />} type="primary" onClick={() => void lookup()} disabled={!phone.trim()}>
          {t('privacy.lookup')}
        </Button>
      </Space>
      {error != null && <Alert type="error" showIcon title={errorText(t, error)} style={{ marginTop: 12 }} />}
      {found && (
        <Space direction="vertical" style={{ width: '100%', marginTop: 16 }}>
          <Typography.Text data-testid="privacy-counts">{t('privacy.counts', found)}</Typography.Text>
          {(found.signedSales > 0 || found.openCases > 0) && (
            <Alert
              type="info"
              showIcon
              title={t('privacy.kept', { signed: found.signedSales, open: found.openCases })}
            />
          )}
          <Space wrap>
            <Button icon={<DownloadOutlined />} onClick={() => void exportAll()} loading={busy}>
              {t('privacy.export')}
            </Button>
            <Button icon={<StopOutlined />} onClick={() => setAsking('withdraw')} disabled={busy}>
              {t('privacy.withdraw')}
            </Button>
            <Button
              danger
              icon={<DeleteOutlined />}
              onClick={() => setAsking('erase')}
              disabled={busy}
              data-testid="privacy-erase"
            >
              {t('privacy.erase')}
            </Button>
          </Space>
          <Table<Card_>
            size="small"
            rowKey="id"
            pagination={false}
            title={() => t('privacy.cards')}
            locale={{ emptyText: t('privacy.none') }}
            dataSource={found.leads}
            columns={[
              ...FIELDS.slice(0, 5).map((f) => ({
                title: t(`privacy.fields.${f}`),
                render: (_: unknown, c: Card_) => c[CARD_KEY[f]] ?? '—'
              })),
              { title: t('leads.status'), render: (_: unknown, c: Card_) => t(`leads.statuses.${c.status}`) },
              {
                title: '',
                render: (_: unknown, c: Card_) => (
                  <Button
                    size="small"
                    icon={<EditOutlined />}
                    onClick={() => {
                      setEditing(c)
                      form.setFieldsValue(
                        Object.fromEntries(FIELDS.map((f) => [f, (c[CARD_KEY[f]] as string | null) ?? '']))
                      )
                    }}
                  >
                    {t('privacy.correct')}
                  </Button>
                )
              }
            ]}
          />
          {found.erasures.length > 0 && (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              title={() => t('privacy.erasures')}
              dataSource={found.erasures}
              columns={[
                { title: '#', dataIndex: 'id' },
                { title: t('privacy.at'), dataIndex: 'at', render: (v: string) => formatTime(v) },
                { title: t('privacy.reason'), dataIndex: 'reason' },
                { title: t('privacy.by'), dataIndex: 'by' }
              ]}
            />
          )}
        </Space>
      )}
      <Modal
        open={asking !== null}
        title={asking === 'erase' ? t('privacy.erase') : t('privacy.withdraw')}
        onCancel={() => setAsking(null)}
        onOk={reasoned}
        okButtonProps={{ danger: asking === 'erase' }}
        destroyOnHidden
      >
        <Form form={reasonForm} layout="vertical" preserve={false}>
          <Form.Item name="reason" label={t('privacy.reason')} rules={[{ required: true, min: 2 }]}>
            <Input maxLength={300} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={editing !== null}
        title={t('privacy.correct')}
        onCancel={() => setEditing(null)}
        confirmLoading={busy}
        onOk={() =>
          void form.validateFields().then((v) => {
            if (!editing) return
            const fields = Object.fromEntries(
              FIELDS.filter((f) => (v[f] ?? '') !== ((editing[CARD_KEY[f]] as string | null) ?? '')).map((f) => [
                f,
                v[f] ? v[f] : null
              ])
            )
            void act(async () => {
              await api.invoke('privacy.correct', { leadId: editing.id, fields })
              void message.success(t('complaints.saved'))
              setEditing(null)
              await lookup()
            })
          })
        }
      >
        <Form form={form} layout="vertical">
          {FIELDS.map((f) =>
            f === 'gender' ? (
              <Form.Item key={f} name={f} label={t(`privacy.fields.${f}`)}>
                <Select
                  allowClear
                  options={[
                    { value: 'M', label: t('leads.gender.M') },
                    { value: 'F', label: t('leads.gender.F') }
                  ]}
                />
              </Form.Item>
            ) : (
              <Form.Item key={f} name={f} label={t(`privacy.fields.${f}`)}>
                <Input />
              </Form.Item>
            )
          )}
        </Form>
      </Modal>
    </Card>
  )
}

function Retention() {
  const { t } = useTranslation()
  const { modal } = App.useApp()
  const settings = useMethodQuery('settings.get', {}, ['settings.get'])
  const last = useMethodQuery('retention.last', {}, ['retention.last'])
  const run = useMethodMutation('retention.run', [['retention.last']])
  const report = run.data ?? last.data ?? null
  return (
    <Card title={t('retention.title')} data-testid="retention">
      <Typography.Paragraph type="secondary">
        {t('retention.hint', { keepDays: settings.data?.backup.keepDays ?? 14 })}
      </Typography.Paragraph>
      <Space wrap>
        <Button onClick={() => run.mutate({ dryRun: true })} loading={run.isPending} data-testid="retention-dry">
          {t('retention.dryRun')}
        </Button>
        <Button
          danger
          onClick={() =>
            modal.confirm({
              title: t('retention.run'),
              content: t('retention.runConfirm'),
              okButtonProps: { danger: true },
              onOk: () => run.mutateAsync({ dryRun: false })
            })
          }
        >
          {t('retention.run')}
        </Button>
      </Space>
      {run.error && <Alert type="error" showIcon title={errorText(t, run.error)} style={{ marginTop: 12 }} />}
      {report && (
        <>
          <Typography.Paragraph style={{ marginTop: 12 }}>
            {t('retention.last', {
              at: formatTime(report.at),
              kind: report.dryRun ? t('retention.kindDry') : t('retention.kindReal')
            })}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="k"
            pagination={false}
            data-testid="retention-report"
            dataSource={Object.entries(report.removed).map(([k, n]) => ({ k, n }))}
            columns={[
              { title: t('retention.item'), dataIndex: 'k', render: (k: string) => t(`retention.removed.${k}`) },
              { title: t('retention.count'), dataIndex: 'n' }
            ]}
          />
        </>
      )}
    </Card>
  )
}
