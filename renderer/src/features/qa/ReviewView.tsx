import { useMemo, useRef, useState } from 'react'
import { Alert, Button, Card, Col, Empty, List, Row, Space, Tag, Typography, message } from 'antd'
import { ArrowLeftOutlined, DeleteOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { recordingUrl } from '../../api/files'
import { useCurrentUser } from '../auth/AuthProvider'
import { clockOf, useHashParams } from '../shell/use-hash-params'
import { WaveformPlayer } from './WaveformPlayer'
import { MetricsView, QaStateTag, ReasonTags } from './parts'
import { centre } from '../../ui/centre-time'
import { UnmaskedNumber } from '../desk/UnmaskedNumber'
import { AnnotationModal, ReviewSummary, ScoreForm } from './ScoreForm'

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
  // one action at a time: a double click on 提交评分 sends it once
  const acting = useRef(false)
  const act = async (fn: () => Promise<unknown>, done?: string) => {
    if (acting.current) return
    acting.current = true
    setError(null)
    try {
      await fn()
      if (done) void message.success(done)
      await refresh()
    } catch (err) {
      setError(err)
    } finally {
      acting.current = false
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
            {c.call.phone && (
              <span>
                <UnmaskedNumber leadId={c.call.leadId} phone={c.call.phone} onError={setError} testId="review-phone" />
              </span>
            )}
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
                  renderItem={(f) => <List.Item>{`${f.by}${t('common.colon')}${f.reason}`}</List.Item>}
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
