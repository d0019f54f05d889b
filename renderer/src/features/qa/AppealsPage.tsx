import { useState } from 'react'
import { Alert, Button, Card, Input, Modal, Popconfirm, Radio, Space, Table, Tabs, Tag, message } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Output, Verdict } from '../../../../shared/contract'
import { VERDICTS } from '../../../../shared/contract/enums'
import { useTeamScope } from '../teams/TeamScope'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { useHashParams } from '../shell/use-hash-params'
import { ReviewView } from './ReviewView'
import { VerdictTag } from './parts'
import { centre } from '../../ui/centre-time'

type Appeal = Output<'qa.appeals'>[number]
type Returned = Output<'qa.returned'>[number]
type Decision = 'uphold' | 'overturn' | 'reopen'

/** 申诉与退回: appeals to decide, and successes QA failed at the gate, to send back or close. */
export function AppealsPage() {
  const { t } = useTranslation()
  const api = useApi()
  const [params, setParams] = useHashParams()
  const rec = Number(params.get('rec') ?? 0)
  const { scope, picker } = useTeamScope()
  const appeals = useQuery({
    queryKey: ['qa.appeals', scope],
    queryFn: () => api.invoke('qa.appeals', { teamId: scope }),
    enabled: !rec
  })
  const returned = useQuery({
    queryKey: ['qa.returned', scope],
    queryFn: () => api.invoke('qa.returned', { teamId: scope }),
    enabled: !rec
  })
  useInvalidateOn('qa.changed', ['qa.appeals'])
  useInvalidateOn('qa.changed', ['qa.returned'])
  const [deciding, setDeciding] = useState<{ appeal: Appeal; decision: Decision } | null>(null)
  const [note, setNote] = useState('')
  const [verdict, setVerdict] = useState<Verdict>('pass')
  const [error, setError] = useState<unknown>(null)
  if (rec) return <ReviewView recordingId={rec} onBack={() => setParams({ rec: null, t: null })} />

  const run = async (fn: () => Promise<unknown>) => {
    setError(null)
    try {
      await fn()
      void message.success(t('qa.appeals.decided'))
      await Promise.all([appeals.refetch(), returned.refetch()])
    } catch (err) {
      setError(err)
    }
  }
  const decide = () =>
    deciding &&
    run(async () => {
      await api.invoke('qa.decide', {
        reviewId: deciding.appeal.id,
        decision: deciding.decision,
        note: note.trim(),
        ...(deciding.decision === 'overturn' ? { verdict } : {})
      })
      setDeciding(null)
      setNote('')
    })
  const settle = (r: Returned, action: 'recall' | 'close') =>
    run(() => api.invoke('qa.settleReturned', { leadId: r.leadId, action }))
  const listen = (recordingId: number) => setParams({ rec: String(recordingId), t: null })

  return (
    <Card size="small" title={t('nav.qaAppeals')}>
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
      <Tabs
        tabBarExtraContent={picker}
        items={[
          {
            key: 'appeals',
            label: `${t('qa.appeals.appealsTab')} (${appeals.data?.length ?? 0})`,
            children: (
              <Table<Appeal>
                size="small"
                rowKey="id"
                loading={appeals.isLoading}
                dataSource={appeals.data ?? []}
                locale={{ emptyText: t('qa.appeals.emptyAppeals') }}
                data-testid="appeals"
                columns={[
                  { title: t('qa.library.time'), dataIndex: 'startedAt', render: (x: string) => centre.format(x) },
                  { title: t('qa.library.operator'), dataIndex: 'operatorName' },
                  { title: t('qa.my.reviewer'), dataIndex: 'reviewerName' },
                  { title: t('qa.review.verdict'), key: 'v', render: (_, r) => <VerdictTag verdict={r.verdict} /> },
                  { title: t('qa.my.score'), key: 's', render: (_, r) => `${r.total} / ${r.max}` },
                  { title: t('qa.review.comment'), dataIndex: 'comment' },
                  { title: t('qa.appeals.appealReason'), dataIndex: 'appealReason' },
                  {
                    title: '',
                    key: 'act',
                    render: (_, r) => (
                      <Space wrap>
                        <Button size="small" onClick={() => listen(r.recordingId)}>
                          {t('qa.queue.open')}
                        </Button>
                        {(['uphold', 'overturn', 'reopen'] as const).map((d) => (
                          <Button key={d} size="small" onClick={() => setDeciding({ appeal: r, decision: d })}>
                            {t(`qa.appeals.${d}`)}
                          </Button>
                        ))}
                      </Space>
                    )
                  }
                ]}
              />
            )
          },
          {
            key: 'returned',
            label: `${t('qa.appeals.returnedTab')} (${returned.data?.length ?? 0})`,
            children: (
              <Table<Returned>
                size="small"
                rowKey="leadId"
                loading={returned.isLoading}
                dataSource={returned.data ?? []}
                locale={{ emptyText: t('qa.appeals.emptyReturned') }}
                data-testid="returned"
                columns={[
                  { title: t('qa.library.time'), dataIndex: 'at', render: (x: string) => centre.format(x) },
                  { title: t('qa.library.customer'), dataIndex: 'customerName' },
                  { title: t('qa.library.operator'), dataIndex: 'operatorName' },
                  {
                    title: t('qa.review.verdict'),
                    key: 'v',
                    render: (_, r) =>
                      r.verdict ? (
                        <VerdictTag verdict={r.verdict} />
                      ) : (
                        <Tag color="red">{t('qa.appeals.noRecording')}</Tag>
                      )
                  },
                  {
                    title: t('qa.appeals.reason'),
                    key: 'reason',
                    render: (_, r) => (r.reviewId === null ? t('qa.appeals.noRecordingReason') : r.reason)
                  },
                  {
                    title: '',
                    key: 'act',
                    render: (_, r) => (
                      <Space wrap>
                        {r.recordingId !== null && (
                          <Button size="small" onClick={() => listen(r.recordingId!)}>
                            {t('qa.queue.open')}
                          </Button>
                        )}
                        <Popconfirm
                          title={t('qa.appeals.recallConfirm', { name: r.customerName, operator: r.operatorName })}
                          okText={t('qa.appeals.recall')}
                          cancelText={t('common.cancel')}
                          onConfirm={() => settle(r, 'recall')}
                        >
                          <Button size="small" type="primary">
                            {t('qa.appeals.recall')}
                          </Button>
                        </Popconfirm>
                        <Popconfirm
                          title={t('qa.appeals.closeConfirm', { name: r.customerName })}
                          okText={t('qa.appeals.close')}
                          okButtonProps={{ danger: true }}
                          cancelText={t('common.cancel')}
                          onConfirm={() => settle(r, 'close')}
                        >
                          <Button size="small" danger>
                            {t('qa.appeals.close')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    )
                  }
                ]}
              />
            )
          }
        ]}
      />
      <Modal
        open={deciding !== null}
        title={deciding ? t(`qa.appeals.${deciding.decision}`) : ''}
        onCancel={() => setDeciding(null)}
        onOk={decide}
        okButtonProps={{ disabled: !note.trim() }}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          {deciding?.decision === 'overturn' && (
            <Radio.Group
              value={verdict}
              onChange={(e) => setVerdict(e.target.value as Verdict)}
              aria-label={t('qa.appeals.newVerdict')}
            >
              {VERDICTS.filter((v) => v !== deciding.appeal.verdict).map((v) => (
                <Radio key={v} value={v}>
                  {t(`qa.verdicts.${v}`)}
                </Radio>
              ))}
            </Radio.Group>
          )}
          <Input.TextArea
            value={note}
            onChange={(e) => setNote(e.target.value)}
            rows={3}
            maxLength={1000}
            aria-label={t('qa.appeals.note')}
            placeholder={t('qa.appeals.note')}
          />
        </Space>
      </Modal>
    </Card>
  )
}
