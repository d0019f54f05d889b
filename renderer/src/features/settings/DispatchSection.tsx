import { Form, Input, InputNumber, Select, Space, Switch } from 'antd'
import { useTranslation } from 'react-i18next'
import { HHMM, Section } from './SettingsSection'

/** 派单与回访: the dispatch deadlines, direction-group cities, the success package, and the 回访 window and its rules. */
export function DispatchSection() {
  const { t } = useTranslation()
  return (
    <Section name="dispatch">
      <Space wrap align="start">
        <Form.Item
          name={['dispatch', 'receiveBy']}
          label={t('smtp.receiveBy')}
          extra={t('settings.hints.receiveBy')}
          rules={[{ pattern: HHMM, message: t('settings.hhmm') }]}
        >
          <Input style={{ width: 90 }} placeholder="20:00" />
        </Form.Item>
        <Form.Item
          name={['dispatch', 'assignBy']}
          label={t('smtp.assignBy')}
          extra={t('settings.hints.assignBy')}
          rules={[{ pattern: HHMM, message: t('settings.hhmm') }]}
        >
          <Input style={{ width: 90 }} placeholder="09:30" />
        </Form.Item>
      </Space>
      <Form.Item
        name={['dispatch', 'packageEmail']}
        label={t('smtp.packageEmail')}
        valuePropName="checked"
        extra={t('settings.hints.packageEmail')}
      >
        <Switch />
      </Form.Item>
      <Form.Item
        name={['dispatch', 'directionCities']}
        label={t('settings.directionCities')}
        extra={t('settings.directionCitiesHint')}
      >
        <Select mode="tags" tokenSeparators={[',', '，', ' ']} style={{ maxWidth: 400 }} />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item
          name={['followUp', 'start']}
          label={t('settings.followUpStart')}
          rules={[{ pattern: HHMM, message: t('settings.hhmm') }]}
        >
          <Input style={{ width: 90 }} placeholder="13:30" />
        </Form.Item>
        <Form.Item
          name={['followUp', 'end']}
          label={t('settings.followUpEnd')}
          rules={[{ pattern: HHMM, message: t('settings.hhmm') }]}
        >
          <Input style={{ width: 90 }} placeholder="18:00" />
        </Form.Item>
        <Form.Item
          name={['followUp', 'coolingOffDays']}
          label={t('settings.coolingOffDays')}
          extra={t('settings.hints.coolingOffDays')}
        >
          <InputNumber min={5} max={60} addonAfter={t('settings.units.days')} />
        </Form.Item>
        <Form.Item
          name={['followUp', 'unreachableAttempts']}
          label={t('settings.unreachableAttempts')}
          extra={t('settings.hints.unreachableAttempts')}
        >
          <InputNumber min={1} max={10} />
        </Form.Item>
        <Form.Item name={['followUp', 'unreachableDays']} label={t('settings.unreachableDays')}>
          <InputNumber min={1} max={7} addonAfter={t('settings.units.days')} />
        </Form.Item>
        <Form.Item
          name={['followUp', 'leaseMinutes']}
          label={t('settings.followUpLease')}
          extra={t('settings.hints.followUpLease')}
        >
          <InputNumber min={5} max={480} addonAfter={t('settings.units.minutes')} />
        </Form.Item>
      </Space>
    </Section>
  )
}
