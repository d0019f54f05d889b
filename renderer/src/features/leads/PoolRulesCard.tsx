import { useEffect, useState } from 'react'
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Switch } from 'antd'
import { useTranslation } from 'react-i18next'
import type { PoolRules } from '../../../../shared/contract'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { keys, useMethodMutation, useMethodQuery } from '../../api/queries'

const NUMBERS = [
  'maxHeld',
  'dailyClaimCap',
  'recallNoFollowUpDays',
  'recallNoProgressDays',
  'warnDaysBefore',
  'cooldownDays'
] as const

/** 公海/私海 rules of the campaign, and the one-step handover of a leaving operator's leads. */
export function PoolRulesCard({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const rules = useMethodQuery('pool.rules', { campaignId }, ['pool.rules', campaignId])
  const save = useMethodMutation('pool.setRules', [['pool.rules']])
  const operators = useMethodQuery('users.list', { role: 'operator' }, keys.users({ role: 'operator' }))
  const [form] = Form.useForm<PoolRules>()
  const [from, setFrom] = useState<number>()
  const [to, setTo] = useState<number | 0>(0)
  const [reason, setReason] = useState('')
  useEffect(() => {
    if (rules.data) form.setFieldsValue(rules.data)
  }, [rules.data, form])
  const ops = (operators.data ?? []).map((u) => ({
    value: u.id,
    label: `${u.displayName}（${u.staffNo ?? u.username}）`
  }))

  return (
    <Row gutter={16}>
      <Col span={14}>
        <Card title={t('leads.rulesTitle')} size="small">
          {save.error && (
            <Alert type="error" showIcon message={errorText(t, save.error)} style={{ marginBottom: 12 }} />
          )}
          <Form
            form={form}
            layout="vertical"
            onFinish={(v) =>
              save.mutate({ campaignId, rules: v }, { onSuccess: () => void message.success(t('common.saved')) })
            }
          >
            <Row gutter={12}>
              {NUMBERS.map((k) => (
                <Col span={8} key={k}>
                  <Form.Item name={k} label={t(`leads.${k}`)}>
                    <InputNumber min={0} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
            <Form.Item name="allowPublicClaim" label={t('leads.allowPublicClaim')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Form>
        </Card>
      </Col>
      <Col span={10}>
        <Card title={t('leads.handoverTitle')} size="small">
          <Space direction="vertical" style={{ width: '100%' }}>
            <Select
              style={{ width: '100%' }}
              placeholder={t('leads.handoverFrom')}
              options={ops}
              value={from}
              onChange={setFrom}
            />
            <Select
              style={{ width: '100%' }}
              placeholder={t('leads.handoverTo')}
              value={to}
              onChange={setTo}
              options={[{ value: 0, label: t('leads.handoverToPool') }, ...ops.filter((o) => o.value !== from)]}
            />
            <Input placeholder={t('leads.handoverReason')} value={reason} onChange={(e) => setReason(e.target.value)} />
            <Button
              danger
              disabled={!from || !reason.trim()}
              onClick={() =>
                api.invoke('pool.handover', { fromUserId: from!, toUserId: to || null, reason: reason.trim() }).then(
                  (r) => void message.success(t('leads.handoverDone', r)),
                  (e: unknown) => void message.error(errorText(t, e))
                )
              }
            >
              {t('leads.handoverDo')}
            </Button>
          </Space>
        </Card>
      </Col>
    </Row>
  )
}
