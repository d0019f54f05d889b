import { useEffect, useMemo, useState } from 'react'
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
  message
} from 'antd'
import { ArrowLeftOutlined, DeleteOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Output, Review, ScorecardBody, Verdict } from '../../../../shared/contract'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { recordingUrl } from '../../api/files'
import { useCurrentUser } from '../auth/AuthProvider'
import { clockOf, useHashParams } from '../shell/use-hash-params'
import { WaveformPlayer } from './WaveformPlayer'
import { MetricsView, QaStateTag, ReasonTags, VerdictTag } from './parts'
import { centre } from '../../ui/centre-time'

type Context = Output<'qa.context'>

/** The review page of one recording: the player, what the two channels say, the steps, the scorecard. */
export function ReviewView({ recordingId, onBack }: { recordingId: number; onBack: () => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useCurrentUser()
  const qc = useQueryClient()
  const [params, setParams] = useHashParams()
  const key = ['qa.context', recordingId]
  const ctx = useQuery({ queryKey: key, queryFn: () => api.invoke('qa.context', { recordingId }) })
  useInvalidateOn('qa.changed', key)
  const url = useQuery({
    queryKey: ['recordings.media', recordingId],
    queryFn: () => recordingUrl(api, recordingId),
    staleTime: 4 * 60_000
  })
  const [error, setError] = useState<unknown>(null)
  const [selection, setSelection] = useState<{ startMs: number; endMs: number } | null>(null)
  const startAt = useMemo(() => Number(params.get('t') ?? 0) || 0, [recordingId]) // eslint-disable-line react-hooks/exhaustive-deps

  const refresh = () => qc.invalidateQueries({ queryKey: key })
  const act = async (fn: () => Promise<unknown>, done?: string) => {
    setError(null)
    try {
      await fn()
      if (done) void message.success(done)
      await refresh()
    } catch (err) {
      setError(err)
    }
  }

  if (ctx.isLoading) return <Card loading />
  if (ctx.error || !ctx.data) return <Alert type="error" showIcon title={errorText(t, ctx.error)} />
  const c = ctx.data
  const canScore = me.role === 'qa' && c.claim?.mine === true && (!c.review || c.review.state === 'reopened')
  const markers = c.ticks.map((k) => ({ offsetMs: k.offsetMs, title: k.title, mandatory: k.mandatory }))

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="review-view">
      <Card
        size="small"
        title={
          <Space wrap>
            <Button icon={<ArrowLeftOutlined />} onClick={onBack}>
              {t('qa.review.back')}
            </Button>
            <span>{centre.format(c.call.startedAt)}</span>
            <span>{c.call.operatorName}</span>
            <span>{c.call.customerName ?? '—'}</span>
            <span>{c.call.phone ?? ''}</span>
            {c.call.outcome && <Tag>{c.call.outcome}</Tag>}
            {c.call.district && <Tag>{c.call.district}</Tag>}
            <QaStateTag state={c.call.qaState} />
            <ReasonTags reasons={c.call.reasons} />
            {c.gate && (
              <Tag color={c.gate === 'passed' ? 'green' : c.gate === 'failed' ? 'red' : 'gold'}>
                {t(`qa.gate.${c.gate}`)}
              </Tag>
            )}
          </Space>
        }
        extra={
          me.role === 'qa' && (
            <Space>
              {c.claim?.by && !c.claim.mine && (
                <Tag color="orange">{t('qa.review.claimedBy', { name: c.claim.by })}</Tag>
              )}
              {(!c.review || c.review.state === 'reopened') && !c.claim?.mine && (
                <Button
                  type="primary"
                  onClick={() => act(() => api.invoke('qa.claim', { callId: c.call.callId }))}
                  data-testid="claim"
                >
                  {t('qa.review.claim')}
                </Button>
              )}
              {c.claim?.mine && (
                <Button
                  onClick={() => act(() => api.invoke('qa.release', { callId: c.call.callId }))}
                  data-testid="release"
                >
                  {t('qa.review.release')}
                </Button>
              )}
            </Space>
          )
        }
      >
        {error !== null && (
          <Alert
            type="error"
            showIcon
            title={errorText(t, error)}
            style={{ marginBottom: 8 }}
            closable
            onClose={() => setError(null)}
          />
        )}
        <WaveformPlayer
          url={url.data ?? null}
          peaks={c.recording.peaks}
          durationMs={c.recording.durationMs}
          interrupted={c.recording.state === 'interrupted'}
          markers={markers}
          annotations={c.annotations}
          startAt={startAt}
          onPosition={(s) => setParams({ t: s.toFixed(1) }, true)}
          onSelect={me.role === 'qa' ? (startMs, endMs) => setSelection({ startMs, endMs }) : undefined}
        />
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Card size="small" title={t('qa.review.metrics')}>
              <MetricsView metrics={c.metrics} />
            </Card>
            <Card size="small" title={t('qa.review.ticks')}>
              {c.missingSteps.length ? (
                <Alert
                  type="warning"
                  showIcon
                  title={t('qa.review.missingSteps', { steps: c.missingSteps.map((s) => s.title).join('、') })}
                  data-testid="missing-steps"
                />
              ) : (
                <Alert type="success" showIcon title={t('qa.review.allSteps')} />
              )}
              <List
                size="small"
                data-testid="ticks"
                dataSource={c.ticks}
                renderItem={(k) => (
                  <List.Item>
                    <Typography.Link onClick={() => setParams({ t: (k.offsetMs / 1000).toFixed(1) }, true)}>
                      {clockOf(k.offsetMs / 1000)}
                    </Typography.Link>{' '}
                    {k.title}
                    {k.mandatory && <Tag color="purple">✓</Tag>}
                  </List.Item>
                )}
              />
            </Card>
            {c.flags.length > 0 && (
              <Card size="small" title={t('qa.review.flags')}>
                <List
                  size="small"
                  dataSource={c.flags}
                  renderItem={(f) => <List.Item>{`${f.by}：${f.reason}`}</List.Item>}
                />
              </Card>
            )}
            <Card size="small" title={t('qa.review.annotations')}>
              {c.annotations.length === 0 ? (
                <Typography.Text type="secondary">{t('qa.review.noAnnotations')}</Typography.Text>
              ) : (
                <List
                  size="small"
                  data-testid="annotations"
                  dataSource={c.annotations}
                  renderItem={(a) => (
                    <List.Item
                      actions={
                        me.role === 'qa' && a.by === me.displayName
                          ? [
                              <Button
                                key="d"
                                size="small"
                                type="text"
                                icon={<DeleteOutlined />}
                                aria-label="delete"
                                onClick={() => act(() => api.invoke('qa.deleteAnnotation', { id: a.id }))}
                              />
                            ]
                          : []
                      }
                    >
                      {clockOf(a.startMs / 1000)}–{clockOf(a.endMs / 1000)} {a.comment}{' '}
                      {a.itemId && (
                        <Tag>{c.scorecard.body.items.find((i) => i.id === a.itemId)?.title ?? a.itemId}</Tag>
                      )}
                    </List.Item>
                  )}
                />
              )}
            </Card>
          </Space>
        </Col>
        <Col xs={24} lg={14}>
          <Card
            size="small"
            title={t('qa.review.scorecard', { title: c.scorecard.body.title, version: c.scorecard.version })}
          >
            {canScore ? (
              <ScoreForm
                card={c.scorecard.body}
                context={c}
                onSubmit={(scores, verdict, comment) =>
                  act(
                    () => api.invoke('qa.submit', { callId: c.call.callId, scores, verdict, comment }),
                    t('qa.review.submitted')
                  )
                }
              />
            ) : c.review ? (
              <ReviewSummary review={c.review} card={c.scorecard.body} />
            ) : (
              <Empty description={me.role === 'qa' ? t('qa.review.claim') : t('qa.states.none')} />
            )}
          </Card>
        </Col>
      </Row>
      <AnnotationModal
        selection={selection}
        card={c.scorecard.body}
        onCancel={() => setSelection(null)}
        onSave={(comment, itemId) =>
          act(async () => {
            await api.invoke('qa.annotate', {
              recordingId,
              startMs: selection!.startMs,
              endMs: selection!.endMs,
              comment,
              ...(itemId ? { itemId } : {})
            })
            setSelection(null)
          })
        }
      />
    </Space>
  )
}

function AnnotationModal(props: {
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

function draftOf(card: ScorecardBody, context: Context): Draft {
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

function ScoreForm({
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
                        {context.missingSteps.length ? `：${context.missingSteps.map((m) => m.title).join('、')}` : ''}
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
