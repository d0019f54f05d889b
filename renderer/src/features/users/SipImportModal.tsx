import { useState } from 'react'
import { Alert, App, Button, Form, Modal, Progress, Table, Typography, Upload } from 'antd'
import { UploadOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/contract'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { uploadFile } from '../../api/files'
import { ServerFields, iceOut, type LineValues } from './SipLineDrawer'

/**
 * 批量导入线路: a whole floor's lines at once — the server settings once, and a CSV/XLSX with 工号 (or
 * 用户名), 分机 and 密码 per operator. Checked first, then set all together or not at all.
 */
export function SipImportModal({
  open,
  defaults,
  onClose
}: {
  open: boolean
  defaults: Partial<LineValues>
  onClose: () => void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const qc = useQueryClient()
  const { message } = App.useApp()
  const [form] = Form.useForm<LineValues>()
  const [file, setFile] = useState<File | null>(null)
  const [progress, setProgress] = useState<number | null>(null)
  const [report, setReport] = useState<Output<'sip.importLines'> | null>(null)
  const [error, setError] = useState<unknown>(null)

  const run = async (v: LineValues) => {
    if (!file) return setError(new Error(t('sip.pickFile')))
    setError(null)
    setReport(null)
    setProgress(0)
    try {
      const uploadId = await uploadFile(api, file, setProgress)
      const r = await api.invoke('sip.importLines', {
        uploadId,
        wsUrl: v.wsUrl,
        domain: v.domain,
        outsidePrefix: v.outsidePrefix ?? '',
        iceServers: iceOut(v.iceServers)
      })
      setReport(r)
      if (!r.errors.length) {
        void message.success(t('sip.imported', { n: r.set }))
        await qc.invalidateQueries({ queryKey: ['sip.accounts'] })
      }
    } catch (err) {
      setError(err)
    } finally {
      setProgress(null)
    }
  }

  return (
    <Modal
      open={open}
      title={t('sip.importTitle')}
      onCancel={onClose}
      width={640}
      okText={t('sip.importRun')}
      onOk={() => form.submit()}
      confirmLoading={progress !== null}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('sip.importHint')}</Typography.Paragraph>
      <Form<LineValues>
        form={form}
        layout="vertical"
        initialValues={{ outsidePrefix: '', iceServers: [], ...defaults }}
        onFinish={(v) => void run(v)}
      >
        <ServerFields prefix="import-" />
        <Form.Item label={t('sip.importFile')} required style={{ marginBottom: 0 }}>
          <Upload
            accept=".csv,.xlsx"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f)
              setReport(null)
              return false
            }}
            onRemove={() => setFile(null)}
          >
            <Button icon={<UploadOutlined />} data-testid="sip-import-file">
              {t('sip.pickFile')}
            </Button>
          </Upload>
        </Form.Item>
      </Form>
      {progress !== null && <Progress percent={Math.round(progress * 100)} size="small" style={{ marginTop: 12 }} />}
      {error !== null && <Alert type="error" showIcon message={errorText(t, error)} style={{ marginTop: 12 }} />}
      {report && (
        <div data-testid="sip-import-report" style={{ marginTop: 12 }}>
          <Alert
            type={report.errors.length ? 'error' : 'success'}
            showIcon
            message={
              report.errors.length
                ? t('sip.importRefused', { n: report.errors.length, rows: report.rows })
                : t('sip.imported', { n: report.set })
            }
          />
          {report.errors.length > 0 && (
            <Table
              size="small"
              rowKey="row"
              pagination={false}
              dataSource={report.errors}
              columns={[
                { title: t('importReport.row'), dataIndex: 'row', width: 80 },
                { title: t('importReport.reason'), dataIndex: 'reason' }
              ]}
            />
          )}
        </div>
      )}
    </Modal>
  )
}
