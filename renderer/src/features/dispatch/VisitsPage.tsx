import { lazy, Suspense, useEffect, useState } from 'react'
import FlagOutlined from '@ant-design/icons-svg/es/asn/FlagOutlined'
import PhoneOutlined from '@ant-design/icons-svg/es/asn/PhoneOutlined'
import PlayCircleOutlined from '@ant-design/icons-svg/es/asn/PlayCircleOutlined'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Visit } from '../../../../shared/contract'
import { useApi, useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { recordingUrl } from '../../api/files'
import { centre } from '../../ui/centre-time'
import { Icon } from '../../ui/Icon'
import { PlainAlert, PlainButton, PlainEmpty, PlainLinkButton, PlainSkeleton, PlainTag } from '../../ui/plain'
import { WithAnt } from '../shell/with-ant'

// the report's form (dates, numbers, the policy) and Ant Design with it come when the agent reports a visit
const loadReportForm = () => import('./VisitReportForm').then((m) => ({ default: m.VisitReportForm }))
const VisitReportForm = lazy(loadReportForm)
// a complaint the customer makes at the visit (投诉 from the field), with Ant Design, when asked for
const OpenCaseModal = lazy(() => import('../complaints/OpenCaseModal').then((m) => ({ default: m.OpenCaseModal })))

/**
 * 我的拜访 (field agent, a phone screen): today's and upcoming visits with what the customer agreed to
 * share, the call, and the report. Plain HTML (ui/plain.tsx): it is the first page a field agent's
 * phone opens, over a mobile line.
 */
export function VisitsPage() {
  const { t } = useTranslation()
  const api = useApi()
  const visits = useQuery({ queryKey: ['dispatch.myVisits'], queryFn: () => api.invoke('dispatch.myVisits', {}) })
  useInvalidateOn('dispatch.changed', ['dispatch.myVisits'])
  if (visits.isLoading) return <PlainSkeleton rows={4} />
  if (visits.error) return <PlainAlert type="error" message={errorText(t, visits.error)} />
  if (!visits.data?.length) return <PlainEmpty description={t('visits.empty')} />
  return (
    <ul className="visit-list" data-testid="visits">
      {visits.data.map((v) => (
        <li key={v.id}>
          <VisitCard visit={v} onDone={() => void visits.refetch()} />
        </li>
      ))}
    </ul>
  )
}

function VisitCard({ visit, onDone }: { visit: Visit; onDone: () => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const [audio, setAudio] = useState<string | null>(null)
  const [reporting, setReporting] = useState(false)
  const [flagging, setFlagging] = useState(false)
  const [complaining, setComplaining] = useState(false)
  const [flagReason, setFlagReason] = useState('')
  const [flagged, setFlagged] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const open = visit.state === 'assigned'
  useEffect(() => {
    if (!flagged) return
    const t = setTimeout(() => setFlagged(false), 3000)
    return () => clearTimeout(t)
  }, [flagged])
  return (
    <section className="plain-card plain-card-small" data-testid="visit" aria-label={visit.customerName}>
      <div className="plain-card-head">
        {visit.customerName}
        <PlainTag>{visit.district}</PlainTag>
        {!open && <PlainTag color="green">{t(`dispatch.states.${visit.state}`)}</PlainTag>}
      </div>
      <div className="plain-card-body visit-body">
        <strong>{centre.format(visit.visitAt, 'YYYY-MM-DD HH:mm')}</strong>
        <span>{visit.address ?? '—'}</span>
        {visit.productInterest && (
          <span className="plain-text-secondary">
            {t('dispatch.ui.product')}
            {t('common.colon')}
            {visit.productInterest}
          </span>
        )}
        <div className="visit-actions">
          <PlainLinkButton icon={<Icon def={PhoneOutlined} />} href={`tel:${visit.phone}`} data-testid="tel">
            {visit.phone}
          </PlainLinkButton>
          {visit.recordingId && (
            <PlainButton
              icon={<Icon def={PlayCircleOutlined} />}
              onClick={() => void recordingUrl(api, visit.recordingId!).then(setAudio, (err: unknown) => setError(err))}
            >
              {t('visits.listen')}
            </PlainButton>
          )}
          {visit.callId && (
            <PlainButton
              icon={<Icon def={FlagOutlined} />}
              aria-expanded={flagging}
              onClick={() => setFlagging(!flagging)}
            >
              {t('qa.review.flag')}
            </PlainButton>
          )}
          {visit.callId && (
            <PlainButton onClick={() => setComplaining(true)} data-testid="visit-complaint">
              {t('complaints.openFromCall')}
            </PlainButton>
          )}
          {open && (
            <PlainButton
              kind="primary"
              aria-expanded={reporting}
              // the form's code starts down the line as the finger touches the button
              onPointerDown={() => void loadReportForm().catch(() => {})}
              onClick={() => setReporting(!reporting)}
            >
              {t('visits.report')}
            </PlainButton>
          )}
        </div>
        {flagging && (
          <form
            className="visit-flag"
            onSubmit={(e) => {
              e.preventDefault()
              if (!flagReason.trim()) return
              void api.invoke('qa.flag', { callId: visit.callId!, reason: flagReason.trim() }).then(
                () => {
                  setFlagged(true)
                  setFlagging(false)
                  setFlagReason('')
                },
                (err: unknown) => setError(err)
              )
            }}
          >
            <div className="plain-input">
              <input
                value={flagReason}
                onChange={(e) => setFlagReason(e.target.value)}
                maxLength={500}
                placeholder={t('qa.review.flagReason')}
                aria-label={t('qa.review.flagReason')}
              />
            </div>
            <PlainButton type="submit" disabled={!flagReason.trim()}>
              {t('visits.submit')}
            </PlainButton>
          </form>
        )}
        {complaining && visit.callId && (
          <WithAnt>
            <Suspense fallback={<PlainSkeleton rows={2} />}>
              <OpenCaseModal open onClose={() => setComplaining(false)} callId={visit.callId} defaultChannel="field" />
            </Suspense>
          </WithAnt>
        )}
        {flagged && <PlainAlert type="success" message={t('qa.review.flagged')} />}
        {audio && <audio controls autoPlay src={audio} style={{ width: '100%' }} data-testid="visit-audio" />}
        {error !== null && <PlainAlert type="error" message={errorText(t, error)} />}
        {reporting && (
          <WithAnt>
            <Suspense fallback={<PlainSkeleton rows={4} />}>
              <VisitReportForm
                visit={visit}
                onError={setError}
                onDone={() => {
                  setReporting(false)
                  onDone()
                }}
              />
            </Suspense>
          </WithAnt>
        )}
      </div>
    </section>
  )
}
