import { useEffect, useMemo, useState } from 'react'
import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  Input,
  List,
  Modal,
  Row,
  Select,
  Space,
  Tabs,
  Tag,
  Typography,
  message
} from 'antd'
import { FlagOutlined, MinusCircleOutlined, PlayCircleOutlined, PlusOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import { useQueryClient } from '@tanstack/react-query'
import type { CustomerCard as Card4, DeskLead } from '../../../../shared/contract'
import { parseIdCard } from '../../../../shared/domain/id-card'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { recordingUrl } from '../../api/files'
import { centre } from '../../ui/centre-time'
import { UnmaskedNumber } from './UnmaskedNumber'

interface FormValues {
  name?: string
  gender?: 'M' | 'F' | null
  idNo?: string
  address?: string
  employer?: string
  occupation?: string
  note?: string
  card: Card4
}

const BASIC_TEXT = [
  'nativePlace',
  'education',
  'mobile2',
  'department',
  'employerAddress',
  'position',
  'workPhone',
  'occupationType',
  'email',
  'fax',
  'homePhone'
] as const
const LIFE = ['career', 'finances', 'hobbies', 'social', 'personality', 'health'] as const

/**
 * 客户资料卡: the four groups of docs/domain.md (basic, life, family, insurance held), editable
 * during the call; the ID number is checked and fills birth date and gender; the lead's previous
 * calls, one line each, with their recordings.
 */
export function CustomerCard({ lead, onSaved }: { lead: DeskLead; onSaved?: (l: DeskLead) => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const qc = useQueryClient()
  const [form] = Form.useForm<FormValues>()
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<unknown>()
  const [playing, setPlaying] = useState<{ id: number; url: string } | null>(null)
  const [flagging, setFlagging] = useState<number | null>(null)
  const [flagReason, setFlagReason] = useState('')
  const idNo = Form.useWatch('idNo', form)
  const idInfo = useMemo(() => (idNo && idNo.length >= 15 && !idNo.includes('*') ? parseIdCard(idNo) : null), [idNo])

  useEffect(() => {
    form.setFieldsValue({
      name: lead.name ?? '',
      gender: lead.gender,
      idNo: lead.idNo ?? '',
      address: lead.address ?? '',
      employer: lead.employer ?? '',
      occupation: lead.occupation ?? '',
      note: lead.note ?? '',
      card: lead.card
    })
    setError(undefined)
  }, [lead, form])

  const save = async () => {
    const v = form.getFieldsValue(true) as FormValues
    setSaving(true)
    setError(undefined)
    try {
      const clean = (s?: string) => (s ?? '').trim()
      const card: Card4 = {
        basic: Object.fromEntries(
          Object.entries(v.card?.basic ?? {}).filter(([, x]) => x !== undefined && x !== '')
        ) as Card4['basic'],
        life: Object.fromEntries(
          Object.entries(v.card?.life ?? {}).filter(([, x]) => x !== undefined && x !== '')
        ) as Card4['life'],
        family: (v.card?.family ?? []).filter((f) => f && clean(f.relation)),
        insurance: (v.card?.insurance ?? []).filter((i) => i && clean(i.insurer))
      }
      const saved = await api.invoke('desk.saveCard', {
        leadId: lead.id,
        name: clean(v.name),
        gender: v.gender ?? null,
        // a masked ID number shown to the operator is not sent back
        ...(v.idNo && !v.idNo.includes('*') ? { idNo: v.idNo.trim() } : {}),
        address: clean(v.address),
        employer: clean(v.employer),
        occupation: clean(v.occupation),
        note: clean(v.note),
        card
      })
      void message.success(t('desk.card.saved'))
      void qc.invalidateQueries({ queryKey: ['desk.card', lead.id] })
      onSaved?.(saved)
    } catch (err) {
      setError(err)
    } finally {
      setSaving(false)
    }
  }

  const play = async (id: number) => {
    try {
      setPlaying({ id, url: await recordingUrl(api, id) })
    } catch (err) {
      setError(err)
    }
  }

  const basicTab = (
    <Row gutter={12}>
      <Col span={8}>
        <Form.Item name="name" label={t('desk.card.name')}>
          <Input maxLength={64} />
        </Form.Item>
      </Col>
      <Col span={5}>
        <Form.Item name="gender" label={t('desk.card.gender')}>
          <Select
            allowClear
            options={[
              { value: 'M', label: t('desk.card.male') },
              { value: 'F', label: t('desk.card.female') }
            ]}
          />
        </Form.Item>
      </Col>
      <Col span={11}>
        <Form.Item
          name="idNo"
          label={t('desk.card.idNo')}
          validateStatus={idInfo && 'problem' in idInfo ? 'error' : undefined}
          help={
            idInfo
              ? 'problem' in idInfo
                ? t(`errors.idCard.${idInfo.problem}`)
                : t('desk.card.idFills', {
                    birth: idInfo.birthDate,
                    gender: idInfo.gender === 'M' ? t('desk.card.male') : t('desk.card.female')
                  })
              : undefined
          }
        >
          <Input maxLength={18} />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item label={t('desk.card.birthDate')}>
          <Input
            value={lead.birthDate ?? ''}
            disabled
            addonAfter={
              lead.age === null ? undefined : (
                <span
                  data-testid="card-age"
                  title={lead.ageApprox ? t('desk.card.ageApprox', { age: lead.age }) : undefined}
                >
                  {lead.ageApprox
                    ? t('leads.ageApprox', { age: lead.age })
                    : t('desk.card.ageYears', { age: lead.age })}
                </span>
              )
            }
          />
        </Form.Item>
      </Col>
      <Col span={16}>
        <Form.Item
          name="address"
          label={t('desk.card.address')}
          extra={lead.districtName ? <Tag color="blue">{lead.districtName}</Tag> : null}
        >
          <Input maxLength={200} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="employer" label={t('desk.card.employer')}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="occupation" label={t('desk.card.occupation')}>
          <Input maxLength={64} />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item name={['card', 'basic', 'maritalStatus']} label={t('desk.card.basic.maritalStatus')}>
          <Select
            allowClear
            options={(['single', 'married', 'divorced', 'widowed'] as const).map((v) => ({
              value: v,
              label: t(`desk.card.marital.${v}`)
            }))}
          />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item name={['card', 'basic', 'grade']} label={t('desk.card.basic.grade')}>
          <Select
            allowClear
            options={(['high_value', 'high_contribution', 'ordinary', 'dormant'] as const).map((v) => ({
              value: v,
              label: t(`desk.card.grades.${v}`)
            }))}
          />
        </Form.Item>
      </Col>
      {BASIC_TEXT.map((f) => (
        <Col span={8} key={f}>
          <Form.Item name={['card', 'basic', f]} label={t(`desk.card.basic.${f}`)}>
            <Input maxLength={f === 'employerAddress' ? 200 : 100} />
          </Form.Item>
        </Col>
      ))}
      <Col span={24}>
        <Form.Item name="note" label={t('desk.card.note')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
        </Form.Item>
      </Col>
    </Row>
  )

  const lifeTab = (
    <Row gutter={12}>
      {LIFE.map((f) => (
        <Col span={12} key={f}>
          <Form.Item name={['card', 'life', f]} label={t(`desk.card.life.${f}`)}>
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} />
          </Form.Item>
        </Col>
      ))}
    </Row>
  )

  const listTab = (name: 'family' | 'insurance', fields: readonly string[]) => (
    <Form.List name={['card', name]}>
      {(items, { add, remove }) => (
        <>
          {items.map((item) => (
            <Space key={item.key} align="baseline" wrap>
              {fields.map((f) => (
                <Form.Item
                  key={f}
                  name={[item.name, f]}
                  label={t(`desk.card.${name}Fields.${f}`)}
                  style={{ marginBottom: 8 }}
                >
                  <Input style={{ width: f === 'relation' ? 80 : 120 }} />
                </Form.Item>
              ))}
              <MinusCircleOutlined onClick={() => remove(item.name)} aria-label={t('desk.card.removeRow')} />
            </Space>
          ))}
          <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({})}>
            {t(`desk.card.add.${name}`)}
          </Button>
        </>
      )}
    </Form.List>
  )

  return (
    <Card
      size="small"
      title={
        <Space>
          {t('desk.card.title')}
          <UnmaskedNumber leadId={lead.id} phone={lead.phone} onError={setError} />
          {(lead.phoneRegion || lead.phoneCarrier) && (
            // 归属地 and the range's carrier: where the customer probably is, and a hint for the dialect
            <Typography.Text type="secondary" data-testid="lead-phone-region" title={t('desk.card.regionHint')}>
              {[lead.phoneRegion, lead.phoneCarrier].filter(Boolean).join(' · ')}
            </Typography.Text>
          )}
          <Tag>{lead.campaignName}</Tag>
        </Space>
      }
      extra={
        <Button size="small" type="primary" ghost loading={saving} onClick={() => void save()}>
          {t('desk.card.save')}
        </Button>
      }
      data-testid="customer-card"
    >
      {error !== undefined && <Alert type="error" showIcon message={errorText(t, error)} style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical" size="small" requiredMark={false}>
        <Tabs
          size="small"
          items={[
            { key: 'basic', label: t('desk.card.groups.basic'), children: basicTab, forceRender: true },
            { key: 'life', label: t('desk.card.groups.life'), children: lifeTab, forceRender: true },
            {
              key: 'family',
              label: t('desk.card.groups.family'),
              children: listTab('family', ['relation', 'name', 'birthDate', 'occupation']),
              forceRender: true
            },
            {
              key: 'insurance',
              label: t('desk.card.groups.insurance'),
              children: listTab('insurance', [
                'insurer',
                'product',
                'startDate',
                'term',
                'sumInsured',
                'annualPremium'
              ]),
              forceRender: true
            },
            {
              key: 'calls',
              label: `${t('desk.card.groups.calls')} (${lead.calls.length})`,
              children: (
                <List
                  size="small"
                  dataSource={lead.calls}
                  locale={{ emptyText: t('desk.card.noCalls') }}
                  data-testid="previous-calls"
                  renderItem={(c) => (
                    <List.Item
                      actions={
                        c.recordingId
                          ? [
                              <Button
                                key="play"
                                size="small"
                                type="link"
                                icon={<PlayCircleOutlined />}
                                onClick={() => void play(c.recordingId!)}
                              >
                                {t('desk.card.play')}
                              </Button>,
                              <Button
                                key="flag"
                                size="small"
                                type="link"
                                icon={<FlagOutlined />}
                                onClick={() => setFlagging(c.callId)}
                              >
                                {t('qa.review.flag')}
                              </Button>
                            ]
                          : []
                      }
                    >
                      <Space size="small" wrap>
                        <Typography.Text type="secondary">{centre.format(c.at)}</Typography.Text>
                        <span>{c.operator}</span>
                        {c.outcome ? <Tag color="blue">{c.outcome}</Tag> : <Tag>{t('desk.card.noOutcome')}</Tag>}
                        <span>{Math.round(c.durationMs / 1000)} s</span>
                        {c.simulated && <Tag color="purple">{t('desk.simulated')}</Tag>}
                        {c.shownNumber && <Tag>{t('desk.shownNumber', { number: c.shownNumber })}</Tag>}
                        {c.notes && <Typography.Text type="secondary">{c.notes}</Typography.Text>}
                      </Space>
                    </List.Item>
                  )}
                />
              )
            }
          ]}
        />
      </Form>
      {playing && <audio controls autoPlay src={playing.url} style={{ width: '100%' }} data-testid="card-player" />}
      <Modal
        open={flagging !== null}
        title={t('qa.review.flag')}
        onCancel={() => setFlagging(null)}
        okButtonProps={{ disabled: !flagReason.trim() }}
        onOk={async () => {
          try {
            await api.invoke('qa.flag', { callId: flagging!, reason: flagReason.trim() })
            void message.success(t('qa.review.flagged'))
            setFlagging(null)
            setFlagReason('')
          } catch (err) {
            setError(err)
            setFlagging(null)
          }
        }}
      >
        <Input.TextArea
          value={flagReason}
          onChange={(e) => setFlagReason(e.target.value)}
          maxLength={500}
          rows={3}
          aria-label={t('qa.review.flagReason')}
          placeholder={t('qa.review.flagReason')}
        />
      </Modal>
    </Card>
  )
}
