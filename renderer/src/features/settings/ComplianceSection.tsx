import { Form, InputNumber, Space, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { Section } from './SettingsSection'

/** One number of a rule, with its unit. */
function Days({
  path,
  min,
  max,
  unit = 'days'
}: {
  path: [string, string]
  min: number
  max: number
  unit?: 'days' | 'years'
}) {
  const { t } = useTranslation()
  return (
    <Form.Item name={path} label={t(`settings.compliance.${path[1]}`)} rules={[{ required: true }]}>
      <InputNumber min={min} max={max} addonAfter={t(`settings.compliance.${unit}`)} style={{ width: 160 }} />
    </Form.Item>
  )
}

/** 合规: the do-not-call refusal length, the complaint deadlines and how long each class of personal data is kept. */
export function ComplianceSection() {
  const { t } = useTranslation()
  return (
    <Section name="compliance">
      <Typography.Paragraph type="secondary">{t('settings.compliance.hint')}</Typography.Paragraph>
      <Space wrap align="start">
        <Days path={['dnc', 'refusalDays']} min={1} max={3650} />
        <Days path={['complaints', 'decisionDays']} min={1} max={90} />
        <Days path={['complaints', 'extendedDays']} min={1} max={180} />
      </Space>
      <Space wrap align="start">
        <Days path={['retention', 'supplierRowsDays']} min={1} max={3650} />
        <Days path={['retention', 'unsignedDays']} min={30} max={3650} />
        <Days path={['retention', 'signedShortYears']} min={5} max={30} unit="years" />
        <Days path={['retention', 'signedLongYears']} min={10} max={30} unit="years" />
        <Days path={['retention', 'exportDays']} min={1} max={365} />
        <Days path={['retention', 'rejectedUploadDays']} min={1} max={30} />
      </Space>
    </Section>
  )
}
