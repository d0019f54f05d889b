import { Descriptions, Drawer, List, Tag, Timeline, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import { useMethodQuery } from '../../api/queries'
import { formatTime } from '../../ui/format'

export function LeadDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation()
  const lead = useMethodQuery('leads.get', { id: id ?? 1 }, ['leads.get', id], id !== null)
  const why = useMethodQuery('desk.why', { leadId: id ?? 1 }, ['desk.why', id], id !== null)
  const d = lead.data
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={560}
      title={d ? `${d.name ?? ''} ${d.phone}` : t('leads.detail')}
      loading={lead.isLoading}
    >
      {d && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('leads.fields.phone')}>{d.phone}</Descriptions.Item>
            <Descriptions.Item label={t('leads.phoneRegion')}>
              {[d.phoneRegion, d.phoneCarrier].filter(Boolean).join(' · ')}
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.gender')}>
              {d.gender ? t(`leads.gender.${d.gender}`) : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.birthDate')}>{d.birthDate}</Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.age')}>
              {d.age === null ? '' : d.ageApprox ? t('desk.card.ageApprox', { age: d.age }) : d.age}
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.idNo')}>{d.idNo}</Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.address')}>{d.address}</Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.employer')}>{d.employer}</Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.occupation')}>{d.occupation}</Descriptions.Item>
            <Descriptions.Item label={t('leads.fields.note')}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{d.note}</Typography.Paragraph>
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.status')}>
              <Tag>{t(`leads.statuses.${d.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.dialable')}>
              <span data-testid="lead-why">
                {why.data?.dialable ? (
                  <Tag color="green">{t('leads.dialableNow')}</Tag>
                ) : (
                  (why.data?.blocks ?? []).map((b) => <div key={b.code}>{b.text}</div>)
                )}
              </span>
            </Descriptions.Item>
            {Object.entries(d.extra).map(([k, v]) => (
              <Descriptions.Item key={k} label={k}>
                {v}
              </Descriptions.Item>
            ))}
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('leads.batchesOf')}
          </Typography.Title>
          <List
            size="small"
            dataSource={d.batches}
            renderItem={(b) => (
              <List.Item>{`#${b.id} ${b.fileName} · ${b.source} · ${formatTime(b.createdAt)}`}</List.Item>
            )}
          />
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('leads.history')}
          </Typography.Title>
          <Timeline
            items={d.history.map((h) => ({
              children: `${formatTime(h.at)} ${t(`leads.events.${h.kind}`, { defaultValue: h.kind })}${h.user ? ` · ${h.user}` : ''}${detailsOf(h, t)}`
            }))}
          />
        </>
      )}
    </Drawer>
  )
}

/** A history line's details in words: the outcome's label, a visit's result, a skip's reason; ids and flags stay out. */
function detailsOf(h: { kind: string; details: Record<string, unknown> | null }, t: TFunction): string {
  const d = h.details
  if (!d) return ''
  const said =
    h.kind === 'outcome'
      ? [d.outcome, d.training ? t('desk.training') : d.simulated ? t('desk.simulated') : null]
      : h.kind === 'visit'
        ? [t(`visits.results.${String(d.result)}`, { defaultValue: String(d.result) })]
        : h.kind === 'skip'
          ? [t(`desk.skip.reasons.${String(d.reason)}`, { defaultValue: String(d.reason) })]
          : h.kind === 'qa_gate' || h.kind === 'qa_returned'
            ? [
                h.kind === 'qa_returned'
                  ? t(`leads.qaReturnedActions.${String(d.action)}`, { defaultValue: '' })
                  : null,
                d.note === 'no_recording' ? t('qa.appeals.noRecording') : d.note
              ]
            : h.kind === 'card'
              ? []
              : Object.values(d).filter((v) => typeof v === 'string' || typeof v === 'number')
  const words = said.filter((v) => v !== null && v !== undefined && v !== '').map(String)
  return words.length ? ` · ${words.join(' ')}` : ''
}
