import { useEffect, useState } from 'react'
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Progress,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload
} from 'antd'
import { DownloadOutlined, InboxOutlined, StopOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { ImportJob, ImportPreview } from '../../../../shared/contract'
import { NOT_A_LIST_ERRORS } from '../../../../shared/contract/enums'
import { LEAD_FIELDS } from '../../../../shared/domain/lead-columns'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { ApiError, errorText } from '../../api/errors'
import { download, uploadFile } from '../../api/files'
import { useMethodQuery } from '../../api/queries'
import { formatTime } from '../../ui/format'

type Field = (typeof LEAD_FIELDS)[number]
type Step =
  | { kind: 'choose' }
  | { kind: 'uploading'; share: number; name: string }
  | { kind: 'mapping'; uploadId: string; name: string }
  | { kind: 'running'; job: ImportJob }
  | { kind: 'finished'; job: ImportJob }

export function ImportPage() {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [step, setStep] = useState<Step>({ kind: 'choose' })
  const [error, setError] = useState<unknown>()
  const [preview, setPreview] = useState<ImportPreview>()
  const [source, setSource] = useState('')
  // The source picks a saved mapping; it is looked up when the user leaves the field, not per keystroke.
  const [mappingSource, setMappingSource] = useState('')
  const [previewing, setPreviewing] = useState(false)
  const [policy, setPolicy] = useState<'skip' | 'fill' | 'attach'>('skip')
  const [encoding, setEncoding] = useState<string>()
  const [sheet, setSheet] = useState<string>()
  const [mapping, setMapping] = useState<(Field | null)[]>([])
  const batches = useMethodQuery('leads.batches', { limit: 20 }, ['leads.batches'])
  const campaigns = useMethodQuery('campaigns.list', {}, ['campaigns.list'])
  const openCampaigns = (campaigns.data ?? []).filter((c) => c.active && !c.training)
  // the campaign the list goes into: chosen by the supervisor when the centre runs more than one
  const [chosenCampaign, setCampaignId] = useState<number>()
  const campaignId = chosenCampaign ?? (openCampaigns.length === 1 ? openCampaigns[0].id : undefined)
  useInvalidateOn('leads.changed', ['leads.batches'])

  const uploadId = step.kind === 'mapping' ? step.uploadId : null
  // Re-read the file when the encoding, sheet or source changes: the preview shows what will be imported.
  useEffect(() => {
    if (!uploadId) return
    let live = true
    setPreviewing(true)
    api
      .invoke('leads.previewImport', {
        uploadId,
        encoding: encoding as never,
        sheet,
        source: mappingSource || undefined
      })
      .then((p) => {
        if (!live) return
        setPreview(p)
        setMapping(p.mapping)
        setError(undefined)
      })
      .catch((e: unknown) => {
        if (!live) return
        setError(e)
        // no list can be made of this file (core has let go of it): back to choosing one
        if (e instanceof ApiError && NOT_A_LIST_ERRORS.includes(e.key ?? '')) setStep({ kind: 'choose' })
      })
      .finally(() => live && setPreviewing(false))
    return () => {
      live = false
    }
  }, [api, uploadId, encoding, sheet, mappingSource])

  // Progress and the end of the import arrive as events.
  useEffect(() => {
    const offProgress = api.on('leads.importProgress', (p) =>
      setStep((s) =>
        s.kind === 'running' && s.job.jobId === p.jobId
          ? { kind: 'running', job: { ...s.job, done: p.done, total: p.total, phase: p.phase } }
          : s
      )
    )
    const offDone = api.on('leads.importFinished', (p) => {
      void api
        .invoke('leads.importJob', { jobId: p.jobId })
        .then((job) =>
          setStep((s) => (s.kind === 'running' && s.job.jobId === job.jobId ? { kind: 'finished', job } : s))
        )
    })
    return () => {
      offProgress()
      offDone()
    }
  }, [api])

  const choose = async (file: File): Promise<void> => {
    setError(undefined)
    setPreview(undefined)
    setEncoding(undefined)
    setSheet(undefined)
    if (!source) {
      setSource(file.name.replace(/\.[^.]+$/, ''))
      setMappingSource(file.name.replace(/\.[^.]+$/, ''))
    }
    setStep({ kind: 'uploading', share: 0, name: file.name })
    try {
      const id = await uploadFile(api, file, (share) => setStep({ kind: 'uploading', share, name: file.name }))
      setStep({ kind: 'mapping', uploadId: id, name: file.name })
    } catch (e) {
      setError(e)
      setStep({ kind: 'choose' })
    }
  }

  const start = async () => {
    if (step.kind !== 'mapping') return
    setError(undefined)
    try {
      const job = await api.invoke('leads.import', {
        uploadId: step.uploadId,
        source: source.trim(),
        policy,
        mapping,
        encoding: encoding as never,
        sheet,
        campaignId
      })
      setStep({ kind: 'running', job })
    } catch (e) {
      setError(e)
    }
  }

  const report = async (batchId: number, format: 'xlsx' | 'csv') => {
    try {
      const r = await api.invoke('leads.importReport', { batchId, format })
      await download(api, r.token, r.fileName)
    } catch (e) {
      void message.error(errorText(t, e))
    }
  }

  const fieldOptions = [
    { value: '', label: t('leads.custom') },
    ...LEAD_FIELDS.map((f) => ({ value: f, label: t(`leads.fields.${f}`) }))
  ]

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('leads.importTitle')}>
        {error !== undefined && (
          <Alert type="error" showIcon role="alert" message={errorText(t, error)} style={{ marginBottom: 16 }} />
        )}
        {step.kind === 'choose' && (
          <Upload.Dragger
            accept=".csv,.txt,.tsv,.xlsx"
            showUploadList={false}
            beforeUpload={(f) => {
              void choose(f)
              return false
            }}
            data-testid="import-file"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('leads.chooseFile')}</p>
            <p className="ant-upload-hint">{t('leads.dropHint')}</p>
          </Upload.Dragger>
        )}
        {step.kind === 'uploading' && (
          <div>
            <Typography.Text>
              {t('leads.uploading')} {step.name}
            </Typography.Text>
            <Progress percent={Math.round(step.share * 100)} />
          </div>
        )}
        {step.kind === 'mapping' && (
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Typography.Text strong>{step.name}</Typography.Text>
            {previewing && <Progress percent={100} status="active" showInfo={false} />}
            <Form layout="vertical">
              <Row gutter={16}>
                <Col span={8}>
                  <Form.Item label={t('leads.campaign')} required help={t('leads.campaignHelp')}>
                    <Select
                      aria-label={t('leads.campaign')}
                      data-testid="import-campaign"
                      value={campaignId}
                      placeholder={t('leads.campaignPick')}
                      onChange={setCampaignId}
                      options={openCampaigns.map((c) => ({ value: c.id, label: c.name }))}
                    />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item label={t('leads.source')} help={t('leads.sourceHelp')}>
                    <Input
                      aria-label={t('leads.source')}
                      value={source}
                      maxLength={64}
                      onChange={(e) => setSource(e.target.value)}
                      onBlur={() => setMappingSource(source.trim())}
                    />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item label={t('leads.encoding')}>
                    <Select
                      aria-label={t('leads.encoding')}
                      value={encoding ?? ''}
                      disabled={preview?.kind === 'xlsx'}
                      onChange={(v) => setEncoding(v || undefined)}
                      options={[
                        { value: '', label: t('leads.encodingAuto', { detected: preview?.encoding ?? '…' }) },
                        { value: 'utf-8', label: 'UTF-8' },
                        { value: 'gbk', label: 'GBK' },
                        { value: 'gb18030', label: 'GB18030' },
                        { value: 'utf-16le', label: 'UTF-16' }
                      ]}
                    />
                  </Form.Item>
                </Col>
                {preview?.kind === 'xlsx' && (
                  <Col span={8}>
                    <Form.Item label={t('leads.sheet')}>
                      <Select
                        value={preview.sheet ?? undefined}
                        onChange={setSheet}
                        options={preview.sheets.map((s) => ({ value: s, label: s }))}
                      />
                    </Form.Item>
                  </Col>
                )}
              </Row>
              <Form.Item label={t('leads.policy')}>
                <Radio.Group value={policy} onChange={(e) => setPolicy(e.target.value)}>
                  <Radio value="skip">{t('leads.policySkip')}</Radio>
                  <Radio value="fill">{t('leads.policyFill')}</Radio>
                  <Radio value="attach">{t('leads.policyAttach')}</Radio>
                </Radio.Group>
              </Form.Item>
            </Form>
            {preview && (
              <>
                <Typography.Title level={5}>
                  {t('leads.mapping')}{' '}
                  {preview.mappingFrom === 'saved' && <Tag color="blue">{t('leads.mappingSaved')}</Tag>}
                </Typography.Title>
                <Table
                  size="small"
                  pagination={false}
                  scroll={{ x: true }}
                  rowKey={(_, i) => String(i)}
                  dataSource={preview.sample.map((cells) => Object.fromEntries(cells.map((c, i) => [i, c])))}
                  columns={preview.headers.map((h, i) => ({
                    key: i,
                    dataIndex: String(i),
                    title: (
                      <Space direction="vertical" size={2}>
                        <span>{h || `#${i + 1}`}</span>
                        <Select
                          size="small"
                          style={{ minWidth: 130 }}
                          aria-label={`${t('leads.field')} ${h}`}
                          value={mapping[i] ?? ''}
                          options={fieldOptions}
                          onChange={(v: string) =>
                            setMapping((m) =>
                              m.map((x, j) => (j === i ? ((v || null) as Field | null) : x === v ? null : x))
                            )
                          }
                        />
                      </Space>
                    )
                  }))}
                />
                <Typography.Text type="secondary">
                  {t('leads.preview', { n: preview.sample.length, total: preview.totalRows })}
                </Typography.Text>
              </>
            )}
            <Space>
              <Button
                type="primary"
                disabled={!preview || !source.trim() || !mapping.includes('phone') || campaignId === undefined}
                onClick={() => void start()}
              >
                {t('leads.start')}
              </Button>
              <Button onClick={() => setStep({ kind: 'choose' })}>{t('common.cancel')}</Button>
            </Space>
          </Space>
        )}
        {step.kind === 'running' && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text data-testid="import-progress-text">
              {t(step.job.phase === 'writing' ? 'leads.importWritingRows' : 'leads.importing', {
                done: step.job.done,
                total: step.job.total || '…'
              })}
            </Typography.Text>
            <Progress
              percent={step.job.total ? Math.floor((step.job.done / step.job.total) * 100) : 0}
              status="active"
            />
            <Button
              icon={<StopOutlined />}
              danger
              disabled={step.job.phase === 'writing'}
              onClick={() => void api.invoke('leads.cancelImport', { jobId: step.job.jobId })}
            >
              {t('leads.cancel')}
            </Button>
          </Space>
        )}
        {step.kind === 'finished' && (
          <FinishedView job={step.job} onReport={report} onAgain={() => setStep({ kind: 'choose' })} />
        )}
      </Card>
      <Card title={t('leads.batches')}>
        <Table
          size="small"
          rowKey="id"
          loading={batches.isLoading}
          dataSource={batches.data ?? []}
          pagination={false}
          columns={[
            { title: '#', dataIndex: 'id', width: 60 },
            { title: t('leads.fileName'), dataIndex: 'fileName' },
            { title: t('leads.campaign'), dataIndex: 'campaignName' },
            { title: t('leads.source'), dataIndex: 'source' },
            { title: t('leads.rows'), dataIndex: 'rows' },
            { title: t('leads.imported'), dataIndex: 'imported' },
            { title: t('leads.duplicatesInFile'), dataIndex: 'duplicatesInFile' },
            { title: t('leads.duplicatesInPool'), dataIndex: 'duplicatesInPool' },
            { title: t('leads.invalid'), dataIndex: 'invalid' },
            { title: t('leads.dnc'), dataIndex: 'dnc' },
            { title: t('leads.outsideCity'), dataIndex: 'outsideCity' },
            { title: t('leads.importedAt'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
            { title: t('leads.by'), dataIndex: 'createdBy' },
            {
              title: t('common.actions'),
              render: (_, b) => (
                <Space size="small">
                  <Button size="small" icon={<DownloadOutlined />} onClick={() => void report(b.id, 'xlsx')}>
                    XLSX
                  </Button>
                  <Button size="small" onClick={() => void report(b.id, 'csv')}>
                    CSV
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

function FinishedView({
  job,
  onReport,
  onAgain
}: {
  job: ImportJob
  onReport: (batchId: number, f: 'xlsx' | 'csv') => void
  onAgain: () => void
}) {
  const { t } = useTranslation()
  if (job.state !== 'done' || !job.result) {
    return (
      <Result
        status={job.state === 'cancelled' ? 'info' : 'error'}
        title={job.state === 'cancelled' ? t('leads.cancelled') : t('leads.failed')}
        subTitle={job.error?.message}
        extra={<Button onClick={onAgain}>{t('leads.another')}</Button>}
      />
    )
  }
  const r = job.result
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="import-result">
      <Alert type="success" showIcon message={`${t('leads.done')}: ${job.fileName}`} />
      <Row gutter={16}>
        {(
          [
            'rows',
            'imported',
            'duplicatesInFile',
            'duplicatesInPool',
            'invalid',
            'dnc',
            'warnings',
            'outsideCity',
            'outsideProvince'
          ] as const
        ).map((k) => (
          <Col key={k}>
            <Statistic title={t(`leads.${k}`)} value={r[k]} />
          </Col>
        ))}
      </Row>
      <ReportRows batchId={r.batchId} />
      <Space>
        <Button icon={<DownloadOutlined />} onClick={() => onReport(r.batchId, 'xlsx')}>
          {t('leads.reportXlsx')}
        </Button>
        <Button icon={<DownloadOutlined />} onClick={() => onReport(r.batchId, 'csv')}>
          {t('leads.reportCsv')}
        </Button>
        <Button type="primary" onClick={onAgain}>
          {t('leads.another')}
        </Button>
      </Space>
    </Space>
  )
}

/** The report's first rows on screen: why each row was not imported (or was, with a warning), and where its number is from. */
function ReportRows({ batchId }: { batchId: number }) {
  const { t } = useTranslation()
  const report = useMethodQuery('leads.importRows', { batchId, limit: 200 }, ['leads.importRows', batchId])
  if (!report.data) return null
  if (!report.data.total) return <Typography.Text type="secondary">{t('leads.noReportRows')}</Typography.Text>
  return (
    <Table
      size="small"
      rowKey="rowNo"
      data-testid="import-report-rows"
      title={() => t('leads.reportRowsTitle', { n: report.data.rows.length, total: report.data.total })}
      dataSource={report.data.rows}
      pagination={{ pageSize: 10, showSizeChanger: false }}
      columns={[
        { title: t('importReport.row'), dataIndex: 'rowNo', width: 70 },
        {
          title: t('importReport.outcome'),
          dataIndex: 'outcome',
          width: 120,
          render: (o: string) => (
            <Tag color={o === 'invalid' ? 'red' : o === 'warning' ? 'gold' : undefined}>{t(`importOutcomes.${o}`)}</Tag>
          )
        },
        { title: t('leads.fields.phone'), dataIndex: 'phone', width: 150 },
        { title: t('importReport.region'), dataIndex: 'region', width: 130 },
        { title: t('importReport.carrier'), dataIndex: 'carrier', width: 90 },
        { title: t('importReport.reason'), dataIndex: 'reason' }
      ]}
    />
  )
}
