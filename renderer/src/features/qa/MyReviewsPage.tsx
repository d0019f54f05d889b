import { useState } from 'react'
import { Alert, Button, Card, Input, Modal, Space, Table, Tag, message } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/contract'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { recordingUrl } from '../../api/files'
import { ReviewSummary } from './ScoreForm'
import { WaveformPlayer } from './WaveformPlayer'
import { VerdictTag } from './parts'
import { centre } from '../../ui/centre-time'

type Mine = Output<'qa.myReviews'>[number]

/** 我的质检: the reviews of my calls, with the recording, QA's marks, and the appeal. */
export function MyReviewsPage() {
  const { t } = useTranslation()
  const api = useApi()
  const reviews = useQuery({ queryKey: ['qa.myReviews'], queryFn: () => api.invoke('qa.myReviews', {}) })
  useInvalidateOn('qa.reviewed', ['qa.myReviews'])
  const [appealing, setAppealing] = useState<Mine | null>(null)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<unknown>(null)

  const appeal = async () => {
    if (!appealing) return
    setError(null)
    try {
      await api.invoke('qa.appeal', { reviewId: appealing.id, reason: reason.trim() })
      void message.success(t('qa.my.appealed'))
      setAppealing(null)
      setReason('')
      await reviews.refetch()
    } catch (err) {
      setError(err)
    }
  }
  return (
    <Card size="small" title={t('nav.myReviews')}>
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
      <Table<Mine>
        size="small"
        rowKey="id"
        loading={reviews.isLoading}
        dataSource={reviews.data ?? []}
        locale={{ emptyText: t('qa.my.empty') }}
        data-testid="my-reviews"
        expandable={{ expandedRowRender: (r) => <MyReview review={r} /> }}
        columns={[
          { title: t('qa.library.time'), dataIndex: 'startedAt', render: (x: string) => centre.format(x) },
          { title: t('qa.library.customer'), dataIndex: 'customerName' },
          { title: t('qa.library.outcome'), dataIndex: 'outcome' },
          { title: t('qa.review.verdict'), dataIndex: 'verdict', render: (_, r) => <VerdictTag verdict={r.verdict} /> },
          { title: t('qa.my.score'), key: 'score', render: (_, r) => `${r.total} / ${r.max}` },
          { title: t('qa.my.reviewer'), dataIndex: 'reviewerName' },
          { title: t('qa.review.comment'), dataIndex: 'comment' },
          { title: '', key: 'state', render: (_, r) => <Tag>{t(`qa.reviewStates.${r.state}`)}</Tag> },
          {
            title: '',
            key: 'appeal',
            render: (_, r) =>
              r.state === 'submitted' && r.verdict !== 'pass' ? (
                <Button size="small" onClick={() => setAppealing(r)}>
                  {t('qa.my.appeal')}
                </Button>
              ) : null
          }
        ]}
      />
      <Modal
        open={appealing !== null}
        title={t('qa.my.appeal')}
        onCancel={() => setAppealing(null)}
        onOk={appeal}
        okButtonProps={{ disabled: reason.trim().length < 2 }}
      >
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          rows={4}
          maxLength={1000}
          aria-label={t('qa.my.appealReason')}
          placeholder={t('qa.my.appealReason')}
        />
      </Modal>
    </Card>
  )
}

function MyReview({ review }: { review: Mine }) {
  const api = useApi()
  const rec = useQuery({
    queryKey: ['recordings.get', review.recordingId],
    queryFn: () => api.invoke('recordings.get', { id: review.recordingId })
  })
  const url = useQuery({
    queryKey: ['recordings.media', review.recordingId],
    queryFn: () => recordingUrl(api, review.recordingId),
    staleTime: 4 * 60_000
  })
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {rec.data && (
        <WaveformPlayer
          url={url.data ?? null}
          peaks={rec.data.peaks}
          durationMs={rec.data.durationMs}
          interrupted={rec.data.state === 'interrupted'}
          markers={[]}
          annotations={review.annotations}
        />
      )}
      <ReviewSummary review={review} card={review.scorecard} />
    </Space>
  )
}
