import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react'
import { Alert, Button, Card, Col, Empty, Row, Space, Spin, Tag, message } from 'antd'
import { CustomerServiceOutlined, StepForwardOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import { useQueryClient } from '@tanstack/react-query'
import type { Output } from '../../../../shared/contract'
import { maskWith } from '../../../../shared/domain/phone'
import { useApi, useApiEvent } from '../../api/ApiProvider'
import { ApiError } from '../../api/errors'
import { useMethodQuery } from '../../api/queries'
import { useCurrentUser } from '../auth/AuthProvider'
import { CustomerCard } from './CustomerCard'
import {
  agentStateOf,
  canDial,
  canPause,
  canSaveOutcome,
  canSkip,
  deskReducer,
  initialDesk,
  undialedLead,
  whyNoNext,
  type PauseReason
} from './desk-machine'
import { DeskStatusBar } from './DeskStatusBar'
import { OutcomeForm, outcomeDrafts, type OutcomeFormHandle, type OutcomeValues } from './OutcomeForm'
import { InsecureSeat } from '../../ui/InsecureSeat'
import { newClientId } from '../../api/journal'
import {
  useAgentStateSync,
  useDeskSeat,
  useLeaseRenewal,
  useOutbox,
  useUnfinishedRestore,
  useReturnCall
} from './use-desk-sync'
import { ComplaintButton } from '../complaints/OpenCaseModal'
import { SkipDialog } from './SkipDialog'
import type { SkipReason } from '../../../../shared/contract/enums'
import { ScriptPanel, stepAfter } from './ScriptPanel'
import { ShortcutHelp, keyLabel, useDeskShortcuts, type ShortcutAction } from './shortcuts'
import { KeyHint, SoftphoneCard } from './SoftphoneCard'
import { lineDownError, mustDial, useSoftphone } from './use-softphone'
import { useDeskMonitor } from '../monitor/use-desk-monitor'
import { useReportCallActive } from '../shell/use-desktop-updates'

/**
 * 拨号工作台: the dial queue (next lead, preview or progressive), the softphone, the customer
 * card, the script with its required steps, the outcome form, the operator's figures for today
 * and a key for every call action. Its lifecycle is the reducer in desk-machine.ts.
 */
export function DeskPage() {
  // a seat on plain http from another machine gets no microphone from the browser: no line, and it says why
  if (!window.isSecureContext) return <InsecureSeat />
  return <SecureDesk />
}

function SecureDesk() {
  const account = useMethodQuery('sip.myAccount', {}, ['sip.myAccount'])
  // The line is chosen once the operator's SIP account is known: no simulated line starts meanwhile.
  if (!account.isFetched) return <Spin style={{ display: 'block', margin: 48 }} />
  return <DeskWorkspace account={account.data ?? null} />
}

function DeskWorkspace({ account: sipAccount }: { account: Output<'sip.myAccount'> }) {
  const { t } = useTranslation()
  const api = useApi()
  const qc = useQueryClient()
  const me = useCurrentUser()
  const settings = useMethodQuery('settings.get', {}, ['settings.get'])
  const campaigns = useMethodQuery('campaigns.list', {}, ['campaigns.list'])
  const today = useMethodQuery('desk.today', {}, ['desk.today'])
  const [lineKind, setLineKind] = useState<'sip' | 'simulated'>(sipAccount ? 'sip' : 'simulated')
  const sp = useSoftphone(sipAccount, lineKind)
  /** The simulated line outside a demo is training: made-up customers only (core gives no other). */
  const training = lineKind === 'simulated' && !!settings.data && !settings.data.demoMode
  const monitored = useDeskMonitor(sp)
  // The softphone's state changes every half second on a call: effects and callbacks depend on its stable parts only.
  const { setError: setPhoneError, onEnded, dial: phoneDial, phone } = sp
  const { outbox, queued, failed, refresh: refreshOutbox, clearFailed } = useOutbox(api, me.id)

  const [desk, dispatch] = useReducer(deskReducer, initialDesk)
  const work = desk.work
  const [loading, setLoading] = useState(false)
  const [saving, setSaving] = useState(false)
  const [autoNext, setAutoNext] = useState(false)
  const [outcomeError, setOutcomeError] = useState<unknown>()
  const [notice, setNotice] = useState<string | null>(null)
  const [ticked, setTicked] = useState<Set<string>>(new Set())
  const [step, setStep] = useState<string | null>(null)
  const [help, setHelp] = useState(false)
  const outcomeRef = useRef<OutcomeFormHandle>(null)
  const seat = useDeskSeat()
  /** Another desk of mine works leads (another tab, the desktop app): its words, and this desk waits. */
  const [elsewhere, setElsewhere] = useState<string | null>(null)
  const [skipping, setSkipping] = useState(false)
  // another desk of mine took the seat over: this one stops and says so
  useApiEvent('desk.seat', (e) => {
    if (e.seat === seat) return
    setElsewhere(t('desk.seat.takenOver', { where: e.where }))
    // a lead shown here and not dialled is the other desk's now: this one lets go of it
    if (undialedLead(desk) !== null) dispatch({ type: 'released' })
  })

  const campaignOf = useCallback(
    (id: number | undefined) => campaigns.data?.find((c) => c.id === (id ?? 1)) ?? campaigns.data?.[0],
    [campaigns.data]
  )
  const campaign = campaignOf(work?.lead.campaignId)
  const wrapUpSec = campaign?.settings.wrapUpSec ?? 30
  const script = useMethodQuery(
    'scripts.current',
    { campaignId: work?.lead.campaignId ?? 1 },
    ['scripts.current', work?.lead.campaignId ?? 1],
    !!work
  )
  const draftKey = work?.callId ? `leadline.outcomeDraft.${me.id}.${work.callId}` : null
  const busyLine =
    desk.line !== 'free' || sp.state === 'dialing' || sp.state === 'ringing' || sp.state === 'established'

  useAgentStateSync(api, desk, setPhoneError, seat)

  useLeaseRenewal(api, work && work.stage !== 'saved' ? work.lead.id : null, seat)
  useUnfinishedRestore(api, dispatch, setPhoneError)
  useReturnCall(api, sp.incomingCall, dispatch, setPhoneError)

  // The line drives the lifecycle: answered, then ended (whatever else fails on the way, wrap-up follows).
  useEffect(() => {
    if (sp.state === 'established') dispatch({ type: 'lineAnswered' })
  }, [sp.state])
  useEffect(
    () => onEnded((c) => dispatch({ type: 'lineEnded', callId: c.callId, at: performance.now(), wrapUpSec })),
    [onEnded, wrapUpSec]
  )

  const next = async (takeOver = false) => {
    const why = whyNoNext(desk)
    if (why)
      return setNotice(
        why === 'inCall'
          ? t('desk.inCallNoNext')
          : why === 'paused'
            ? t('desk.pausedNoNext')
            : t('desk.outcomeFirst', { key: 'Ctrl+Enter' })
      )
    if (loading) return
    setLoading(true)
    setNotice(null)
    setPhoneError(undefined)
    setOutcomeError(undefined)
    try {
      // A lead taken but not dialled goes back to the queue first.
      const give = undialedLead(desk)
      if (give !== null) {
        await api.invoke('desk.release', { leadId: give, reason: 'not_now', seat })
        dispatch({ type: 'released' })
      }
      const r = await api.invoke('desk.next', {
        seat,
        ...(takeOver ? { takeOver } : {}),
        ...(training ? { training } : {})
      })
      setElsewhere(null)
      if (!r.lead) return dispatch({ type: 'queueEmpty', reason: r.reason, nextAt: r.nextAt })
      // a campaign made since the list was read (the training campaign on its first use): read it again
      if (!campaigns.data?.some((x) => x.id === r.lead.campaignId)) void campaigns.refetch()
      const c = campaignOf(r.lead.campaignId)
      if (r.unfinishedCallId) {
        setNotice(t('desk.unfinishedBack'))
        return dispatch({
          type: 'wrapUpRestored',
          lead: r.lead,
          source: r.source,
          callbackId: r.callbackId,
          callbackNote: r.callbackNote,
          callId: r.unfinishedCallId,
          at: performance.now(),
          wrapUpSec: c?.settings.wrapUpSec ?? 30
        })
      }
      dispatch({
        type: 'leadTaken',
        lead: r.lead,
        source: r.source,
        callbackId: r.callbackId,
        callbackNote: r.callbackNote,
        progressiveSec: r.dialMode === 'progressive' ? (c?.settings.progressiveDelaySec ?? 10) : null
      })
      setTicked(new Set())
      setStep(null)
    } catch (err) {
      if (err instanceof ApiError && err.key === 'errors.deskOpenElsewhere') setElsewhere(err.message)
      else setPhoneError(err)
    } finally {
      setLoading(false)
    }
  }

  const dial = async () => {
    if (desk.paused) return setNotice(t('desk.pausedNoNext'))
    if (!canDial(desk) || loading) return
    const down = lineDownError(sp, t)
    if (down) return setPhoneError(down)
    const w = desk.work!
    setLoading(true)
    setNotice(null)
    setPhoneError(undefined)
    let callId: number | null = null
    try {
      const r = await api.invoke('desk.dial', { leadId: w.lead.id, line: phone.kind, seat })
      callId = r.callId
      dispatch({ type: 'dialRegistered', callId })
      setTicked(new Set())
      // The number goes to the PBX (a one-time token the PBX resolves with the hub), never to this screen.
      await phoneDial(
        { callId, leadId: w.lead.id, direction: 'outbound', notice: r.recordingNotice },
        mustDial(r.dial, t),
        r.callerId
      )
    } catch (err) {
      if (err instanceof ApiError && err.key === 'errors.deskOpenElsewhere') setElsewhere(err.message)
      else setPhoneError(err)
      if (callId === null) dispatch({ type: 'dialRefused' })
      else if (err instanceof ApiError && err.key === 'desk.badNumber') {
        // never reached the line: the call is closed as failed, and its outcome (空号, 错号 …) is next
        await api.invoke('calls.end', { callId, cause: 'failed', answered: false }).catch(() => {})
        dispatch({ type: 'lineEnded', callId, at: performance.now(), wrapUpSec })
      }
    } finally {
      setLoading(false)
    }
  }
  const dialRef = useRef(dial)
  const nextRef = useRef(next)
  useEffect(() => {
    dialRef.current = dial
    nextRef.current = next
  })

  // Progressive mode: the lead dials itself when the countdown ends (Alt+X stops it) …
  const countingDown = work?.stage === 'countdown' ? desk.countdown : null
  useEffect(() => {
    if (countingDown === null) return
    if (countingDown <= 0) return void dialRef.current()
    const id = setTimeout(() => dispatch({ type: 'countdownTick' }), 1000)
    return () => clearTimeout(id)
  }, [countingDown])
  // … and after a saved outcome the next lead comes by itself.
  useEffect(() => {
    if (!autoNext || loading) return
    setAutoNext(false)
    void nextRef.current()
  }, [autoNext, loading])

  /** Skip (Alt+S): the reason is asked, then the lead goes back behind the others. */
  const skip = async (reason: SkipReason) => {
    if (!canSkip(desk)) return
    setSkipping(false)
    try {
      await api.invoke('desk.release', { leadId: desk.work!.lead.id, reason, seat })
      dispatch({ type: 'released' })
      void qc.invalidateQueries({ queryKey: ['desk.today'] })
    } catch (err) {
      setPhoneError(err)
    }
  }

  const tick = async (stepId: string) => {
    if (work?.stage !== 'call' || !work.callId || ticked.has(stepId)) return
    const offsetMs = sp.offsetMs() ?? 0
    setTicked(new Set([...ticked, stepId]))
    // the panel follows the operator: past the step just said, to what comes next
    const steps = script.data?.body.steps ?? []
    const shown = step ?? steps[0]?.id
    const order = (id: string | undefined) => steps.findIndex((s) => s.id === id)
    if (order(shown) <= order(stepId)) setStep(stepAfter(steps, stepId) ?? stepId)
    try {
      await api.invoke('desk.tick', { callId: work.callId, stepId, offsetMs })
    } catch (err) {
      setPhoneError(err)
    }
  }

  const saveOutcome = async (v: OutcomeValues) => {
    if (!canSaveOutcome(desk)) return
    const w = desk.work!
    setSaving(true)
    setOutcomeError(undefined)
    setNotice(null)
    try {
      const how = await outbox.submit({ clientId: newClientId(), leadId: w.lead.id, callId: w.callId, ...v })
      if (draftKey) outcomeDrafts.remove(draftKey)
      refreshOutbox()
      if (how === 'queued') void message.warning(t('desk.outcome.queued'))
      else void message.success(t('desk.outcome.saved'))
      void qc.invalidateQueries({ queryKey: ['desk.today'] })
      const progressive = campaignOf(w.lead.campaignId)?.settings.dialMode === 'progressive'
      dispatch({ type: 'outcomeSaved', progressive })
      if (progressive && !desk.paused) setAutoNext(true)
    } catch (err) {
      setOutcomeError(err)
    } finally {
      setSaving(false)
    }
  }

  const answer = () => {
    if (!sp.incoming) return
    dispatch({ type: 'lineDialing' })
    void sp.answer(work?.callId === sp.incomingCall ? work?.lead.id : null).catch((err: unknown) => {
      setPhoneError(err)
      dispatch({ type: 'lineEnded', callId: null, at: performance.now(), wrapUpSec })
    })
  }

  const onKey = (a: ShortcutAction) => {
    if (a === 'help') return setHelp(true)
    if (a === 'next') return void next()
    if (a === 'dial') return void dial()
    if (a === 'hangup') return void sp.hangup()
    if (a === 'mute') return sp.state === 'established' && sp.toggleMute()
    if (a === 'hold') return void (sp.state === 'established' && sp.toggleHold())
    if (a === 'skip') return canSkip(desk) && !busyLine && setSkipping(true)
    if (a === 'answer') return answer()
    if (a === 'stopAuto') return dispatch({ type: 'countdownStopped' })
    if (a === 'save') return outcomeRef.current?.submit()
    if (a === 'tick') {
      const req = script.data?.body.steps.filter((s) => s.mandatory && !ticked.has(s.id)) ?? []
      if (req[0]) void tick(req[0].id)
      return
    }
    if (a.startsWith('outcome:')) outcomeRef.current?.pick(a.slice('outcome:'.length))
  }
  useDeskShortcuts(onKey)

  const manualDial = async (input: string) => {
    setPhoneError(undefined)
    const down = lineDownError(sp, t)
    if (down) return setPhoneError(down)
    try {
      const number = input.trim()
      if (!number) throw new ApiError({ code: 'INVALID_INPUT', message: t('desk.badNumber'), key: 'desk.badNumber' })
      const { callId, dial, recordingNotice, callerId } = await api.invoke('calls.start', {
        direction: 'outbound',
        line: phone.kind,
        number
      })
      if (!dial) await api.invoke('calls.end', { callId, cause: 'failed', answered: false }).catch(() => {})
      const target = mustDial(dial, t)
      dispatch({ type: 'lineDialing' })
      await phoneDial({ callId, leadId: null, direction: 'outbound', notice: recordingNotice }, target, callerId)
    } catch (err) {
      setPhoneError(err)
    }
  }

  const placeholders = useMemo(() => {
    const l = work?.lead
    return {
      姓名: l?.name ?? '',
      称呼: l?.gender === 'M' ? '先生' : l?.gender === 'F' ? '女士' : '',
      坐席姓名: me.displayName,
      工号: me.staffNo ?? '',
      公司: settings.data?.orgName || t('app.name'),
      区县: l?.districtName ?? ''
    }
  }, [work, me, settings.data, t])

  // An outside caller's number is masked like any other for roles that may not see numbers; extensions show as they are.
  const shownNumber = (n: string) =>
    n.length > 6 && !settings.data?.clearRoles.includes(me.role)
      ? maskWith(n, settings.data?.maskStyle ?? 'middle4')
      : n
  const agent = agentStateOf(desk)
  useReportCallActive(agent.state === 'dialing' || agent.state === 'on_call' || agent.state === 'wrap_up')

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <DeskStatusBar
        agent={agent}
        canPause={canPause(desk) && !busyLine}
        onPause={(r: PauseReason) => dispatch({ type: 'paused', reason: r })}
        onResume={() => dispatch({ type: 'resumed' })}
        wrapUntil={work?.stage === 'wrap_up' ? desk.wrapUntil : null}
        queued={queued}
        figures={today.data}
        onHelp={() => setHelp(true)}
      />

      {training && <Alert type="info" showIcon data-testid="training-banner" message={t('desk.trainingBanner')} />}
      {elsewhere && (
        <Alert
          type="warning"
          showIcon
          data-testid="desk-elsewhere"
          message={elsewhere}
          action={
            <Button type="primary" onClick={() => void next(true)} disabled={busyLine}>
              {t('desk.seat.continueHere')}
            </Button>
          }
        />
      )}
      {failed.length > 0 && (
        <Alert
          type="error"
          showIcon
          message={t('desk.outcome.failedLater', { n: failed.length })}
          description={failed.map((f) => `#${f.input.leadId} ${f.input.disposition}: ${f.message}`).join('；')}
          closable
          onClose={clearFailed}
        />
      )}
      {sp.incoming && (
        <Alert
          type="info"
          showIcon
          icon={<CustomerServiceOutlined />}
          data-testid="incoming-call"
          message={t('desk.incoming', { number: shownNumber(sp.incoming) })}
          action={
            <Space>
              <Button type="primary" onClick={answer}>
                {t('desk.answer')} <KeyHint k="a" />
              </Button>
              <Button danger onClick={() => void sp.hangup()}>
                {t('desk.reject')}
              </Button>
            </Space>
          }
        />
      )}

      <Row gutter={16} align="top">
        <Col xs={24} xl={9}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <SoftphoneCard
              sp={sp}
              monitored={monitored}
              sipAccount={sipAccount}
              lineKind={lineKind}
              onLineKind={setLineKind}
              busyLine={busyLine}
              loadingNext={loading && !work}
              may={{
                next: !busyLine && whyNoNext(desk) === null,
                dial: canDial(desk) && !busyLine,
                skip: canSkip(desk) && !busyLine
              }}
              countdown={work?.stage === 'countdown' ? desk.countdown : null}
              notice={
                notice ? (
                  <Alert
                    type="info"
                    showIcon
                    message={notice}
                    data-testid="desk-notice"
                    closable
                    onClose={() => setNotice(null)}
                  />
                ) : null
              }
              onNext={() => void next()}
              onDial={() => void dial()}
              onSkip={() => setSkipping(true)}
              onStopCountdown={() => dispatch({ type: 'countdownStopped' })}
              onManualDial={(n) => void manualDial(n)}
            />
            {work && (
              <ScriptPanel
                key={work.lead.id}
                script={script.data}
                values={placeholders}
                ticked={ticked}
                canTick={work.stage === 'call'}
                onTick={(id) => void tick(id)}
                step={step}
                onStep={setStep}
              />
            )}
          </Space>
        </Col>
        <Col xs={24} xl={15}>
          {work ? (
            <Space direction="vertical" size="middle" style={{ width: '100%' }}>
              <Space>
                <Tag
                  color={work.source === 'callback' ? 'magenta' : work.source === 'batch' ? 'blue' : 'default'}
                  data-testid="lead-source"
                >
                  {t(`desk.sources.${work.source}`)}
                </Tag>
                <Tag color="geekblue" data-testid="lead-campaign">
                  {t('desk.campaignOf', { name: work.lead.campaignName })}
                </Tag>
                {work.stage === 'saved' && <Tag color="green">{t('desk.outcome.done')}</Tag>}
                {work.callId && <ComplaintButton callId={work.callId} />}
              </Space>
              {work.source === 'callback' && work.callbackNote && (
                <Alert
                  type="info"
                  showIcon
                  data-testid="callback-note"
                  message={t('desk.callbackNote', { note: work.callbackNote })}
                />
              )}
              <OutcomeForm
                ref={outcomeRef}
                draftKey={draftKey}
                lead={work.lead}
                dispositions={campaign?.settings.dispositions ?? []}
                disabled={!canSaveOutcome(desk)}
                saving={saving}
                error={outcomeError}
                onSubmit={(v) => void saveOutcome(v)}
                missingSteps={
                  work.callId
                    ? (script.data?.body.steps ?? [])
                        .filter((s) => s.mandatory && !ticked.has(s.id))
                        .map((s) => s.title)
                    : []
                }
              />
              <CustomerCard lead={work.lead} onSaved={(lead) => dispatch({ type: 'cardSaved', lead })} />
            </Space>
          ) : (
            <Card size="small">
              <Empty
                description={
                  desk.empty ? (
                    <span data-testid="queue-empty">{desk.empty.reason}</span>
                  ) : (
                    t('desk.pressNext', { key: keyLabel('n') })
                  )
                }
              >
                <Button type="primary" onClick={() => void next()} icon={<StepForwardOutlined />} disabled={busyLine}>
                  {t('desk.actions.next')}
                </Button>
              </Empty>
            </Card>
          )}
        </Col>
      </Row>
      <SkipDialog open={skipping} onSkip={(r) => void skip(r)} onCancel={() => setSkipping(false)} />
      <ShortcutHelp open={help} onClose={() => setHelp(false)} outcomes={campaign?.settings.dispositions ?? []} />
    </Space>
  )
}
