import { useEffect, useMemo, useState } from 'react'
import {
  Alert,
  Button,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Tag,
  Timeline,
  Typography
} from 'antd'
import { useTranslation } from 'react-i18next'
import type { Output, Review, ScorecardBody, Verdict } from '../../../../shared/contract'
import { clockOf } from '../shell/use-hash-params'
import { VerdictTag } from './parts'
import { centre } from '../../ui/centre-time'

type Context = Output<'qa.context'>

export function AnnotationModal(props: {
  selection: { startMs: number; endMs: number } | null
  card: ScorecardBody
  onCancel: () => void
  onSave: (comment: string, itemId?: string) => void
}) {
  const { t } = useTranslation()
  const [comment, setComment] = useState('')
  const [item, setItem] = useState<string | undefined>()
  useEffect(() => {
    setComment('')
    setItem(undefined)
  }, [props.selection])
  return (
    <Modal
      open={props.selection !== null}
      title={
        props.selection
          ? `${t('qa.review.addAnnotation')} ${clockOf(props.selection.startMs / 1000)}–${clockOf(props.selection.endMs / 1000)}`
          : ''
      }
      onCancel={props.onCancel}
      onOk={() => comment.trim() && props.onSave(comment.trim(), item)}
      okButtonProps={{ disabled: !comment.trim() }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input.TextArea
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={1000}
          aria-label={t('qa.review.annotationComment')}
          placeholder={t('qa.review.annotationComment')}
          autoFocus
        />
        <Select
          allowClear
          value={item}
          onChange={setItem}
          style={{ width: '100%' }}
          placeholder={t('qa.review.annotationItem')}
          options={props.card.items.map((i) => ({ value: i.id, label: `${i.group} · ${i.title}` }))}
        />
      </Space>
    </Modal>
  )
}

type Scores = Review['scores']
/** An item as the reviewer scores it: nothing is assumed, every item is scored before the review can go (null: not yet). */
type Draft = Record<string, { score: number | null; failed: boolean | null }>

export function draftOf(card: ScorecardBody, context: Context): Draft {
  const d: Draft = {}
  for (const i of card.items) {
    const s = context.review?.scores.find((x) => x.itemId === i.id)
    if (s) d[i.id] = { score: s.score, failed: s.failed }
    // the mandatory steps are scored from the ticks, which the reviewer may correct
    else if (i.check === 'mandatorySteps')
      d[i.id] = { score: context.missingSteps.length ? 0 : i.points, failed: false }
    else d[i.id] = i.autoFail ? { score: 0, failed: null } : { score: null, failed: false }
  }
  return d
}

export function ScoreForm({
  card,
  context,
  onSubmit
}: {
  card: ScorecardBody
  context: Context
  onSubmit: (scores: Scores, verdict: Verdict, comment?: string) => void
}) {
  const { t } = useTranslation()
  const initial = useMemo(() => draftOf(card, context), [card, context])
  const [draft, setDraft] = useState<Draft>(initial)
  const [comment, setComment] = useState(context.review?.comment ?? '')
  const unscored = card.items.filter((i) => (i.autoFail ? draft[i.id].failed === null : draft[i.id].score === null))
  const complete = unscored.length === 0
  const total = card.items.reduce((s, i) => s + (draft[i.id].failed ? 0 : (draft[i.id].score ?? 0)), 0)
  const max = card.items.reduce((s, i) => s + i.points, 0)
  const autoFailed = card.items.some((i) => draft[i.id].failed === true)
  const suggested: Verdict = autoFailed ? 'fail' : max && (total * 100) / max < card.passMark ? 'fix' : 'pass'
  const [verdict, setVerdict] = useState<Verdict | null>(null)
  // no verdict is offered before every item is scored; then the one the scores suggest, which the reviewer may change
  const chosen = autoFailed ? 'fail' : complete ? (verdict ?? suggested) : null
  const set = (id: string, patch: Partial<Draft[string]>) => setDraft({ ...draft, [id]: { ...draft[id], ...patch } })
  const groups = [...new Set(card.items.map((i) => i.group))]
  const submit = () => {
    if (!complete || !chosen) return
    onSubmit(
      card.items.map((i) => ({
        itemId: i.id,
        score: draft[i.id].failed ? 0 : (draft[i.id].score ?? 0),
        failed: draft[i.id].failed === true
      })),
      chosen,
      comment.trim() || undefined
    )
  }
  return (
    <Form layout="vertical" data-testid="score-form">
      {groups.map((g) => (
        <div key={g}>
          <Typography.Text strong>{g}</Typography.Text>
          {card.items
            .filter((i) => i.group === g)
            .map((i) => {
              const s = draft[i.id]
              const open = i.autoFail ? s.failed === null : s.score === null
              return (
                <div
                  key={i.id}
                  style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '4px 0' }}
                  data-testid={`item-${i.id}`}
                  data-unscored={open || undefined}
                >
                  <span style={{ flex: 1 }}>
                    {i.title}
                    {i.autoFail && (
                      <Tag color="red" style={{ marginLeft: 6 }}>
                        {t('qa.review.autoFail')}
                      </Tag>
                    )}
                    {i.check === 'mandatorySteps' && (
                      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                        {t('qa.review.prefilled')}
                        {context.missingSteps.length
                          ? `${t('common.colon')}${context.missingSteps.map((m) => m.title).join('、')}`
                          : ''}
                      </Typography.Text>
                    )}
                  </span>
                  {i.autoFail ? (
                    <Radio.Group
                      size="small"
                      optionType="button"
                      value={s.failed === null ? undefined : s.failed ? 'yes' : 'no'}
                      onChange={(e) => set(i.id, { failed: e.target.value === 'yes', score: 0 })}
                      aria-label={i.title}
                      options={[
                        { value: 'no', label: t('qa.review.notHappened') },
                        { value: 'yes', label: t('qa.review.failedItem') }
                      ]}
                    />
                  ) : (
                    <InputNumber
                      min={0}
                      max={i.points}
                      value={s.score}
                      placeholder={t('qa.review.toScore')}
                      status={open ? 'warning' : undefined}
                      onChange={(v) => set(i.id, { score: v === null ? null : Number(v) })}
                      aria-label={i.title}
                      style={{ width: 110 }}
                      addonAfter={`/${i.points}`}
                    />
                  )}
                </div>
              )
            })}
        </div>
      ))}
      <Alert
        style={{ margin: '8px 0' }}
        type={!complete ? 'info' : autoFailed ? 'error' : suggested === 'pass' ? 'success' : 'warning'}
        title={
          <span data-testid="score-total">
            {complete
              ? t('qa.review.total', { total, max, mark: card.passMark })
              : t('qa.review.unscored', { n: unscored.length, items: unscored.map((i) => i.title).join('、') })}
          </span>
        }
      />
      <Form.Item label={t('qa.review.verdict')}>
        <Radio.Group
          value={chosen}
          onChange={(e) => setVerdict(e.target.value as Verdict)}
          optionType="button"
          buttonStyle="solid"
          disabled={!complete}
        >
          {(['pass', 'fix', 'fail'] as const).map((v) => (
            <Radio.Button key={v} value={v} disabled={autoFailed && v !== 'fail'}>
              {t(`qa.verdicts.${v}`)}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item label={t('qa.review.comment')}>
        <Input.TextArea
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={2000}
          rows={3}
          aria-label={t('qa.review.comment')}
        />
      </Form.Item>
      <Button type="primary" onClick={submit} disabled={!complete || !chosen} data-testid="submit-review">
        {t('qa.review.submit')}
      </Button>
    </Form>
  )
}

/** A submitted review: items, total, verdict, comment and every step since. */
export function ReviewSummary({ review, card }: { review: Review; card: ScorecardBody }) {
  const { t } = useTranslation()
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="review-summary">
      <Space wrap>
        <VerdictTag verdict={review.verdict} />
        <Tag>{t(`qa.reviewStates.${review.state}`)}</Tag>
        <span>{t('qa.review.total', { total: review.total, max: review.max, mark: card.passMark })}</span>
        <span>{t('qa.review.reviewedBy', { name: review.reviewerName })}</span>
      </Space>
      {review.comment && <Typography.Paragraph>{review.comment}</Typography.Paragraph>}
      <Descriptions size="small" column={1} bordered>
        {card.items.map((i) => {
          const s = review.scores.find((x) => x.itemId === i.id)
          return (
            <Descriptions.Item key={i.id} label={`${i.group} · ${i.title}`}>
              {i.autoFail ? (
                s?.failed ? (
                  <Tag color="red">{t('qa.review.failedItem')}</Tag>
                ) : (
                  '—'
                )
              ) : (
                `${s?.score ?? 0} / ${i.points}`
              )}
            </Descriptions.Item>
          )
        })}
      </Descriptions>
      <Typography.Text strong>{t('qa.review.history')}</Typography.Text>
      <Timeline
        items={review.events.map((e) => ({
          children: `${centre.format(e.at)} ${e.user} ${t(`qa.events.${e.action}`)}${e.verdict ? ` · ${t(`qa.verdicts.${e.verdict}`)}` : ''}${e.note ? ` · ${e.note}` : ''}`
        }))}
      />
    </Space>
  )
}
