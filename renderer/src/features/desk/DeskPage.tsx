import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Alert, Button, Card, Col, Descriptions, Empty, Input, Progress, Row, Segmented, Select, Space, Spin, Statistic, Tag, Tooltip, Typography, message } from 'antd'
import { AudioMutedOutlined, AudioOutlined, CustomerServiceOutlined, PauseCircleOutlined, PhoneOutlined, QuestionCircleOutlined, StepForwardOutlined, StopOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import { useQueryClient } from '@tanstack/react-query'
import { PAUSE_REASONS, type AgentState, type DeskLead, type Output } from '../../../../shared/contract'
import { maskWith } from '../../../../shared/domain/phone'
import { useApi, useConnectionStatus } from '../../api/ApiProvider'
import { ApiError, errorText } from '../../api/errors'
import { useMethodQuery } from '../../api/queries'
import { useCurrentUser } from '../auth/AuthProvider'
import { CustomerCard } from './CustomerCard'
import { OutcomeForm, type OutcomeFormHandle, type OutcomeValues } from './OutcomeForm'
import { OutcomeOutbox, newClientId } from './outbox'
import { ScriptPanel } from './ScriptPanel'
import { ShortcutHelp, keyLabel, useDeskShortcuts, type ShortcutAction } from './shortcuts'
import { dialTargetOf, useSoftphone } from './use-softphone'

interface Work {
  lead: DeskLead
  source: 'callback' | 'batch' | 'pool'
  callbackId: number | null
  /** The call made for this lead (an outcome belongs to it). */
  callId: number | null
  outcomeSaved: boolean
}

const RENEW_MS = 60_000

/** The call's running time; it ticks on its own so that the desk around it does not re-render every second. */
function CallClock({ from }: { from: number }) {
  const [now, setNow] = useState(from)
  useEffect(() => {
    const id = setInterval(() => setNow(performance.now()), 500)
    return () => clearInterval(id)
  }, [])
  return <> {mmss(Math.max(0, Math.floor((now - from) / 1000)))}</>
}

function mmss(s: number): string {
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}

/**
 * 拨号工作台: the dial queue (next lead, preview or progressive), the softphone, the customer
 * card, the script with its required steps, the outcome form, the operator's figures for today
 * and a key for every call action.
 */
export function DeskPage() {
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
  const status = useConnectionStatus()
  const settings = useMethodQuery('settings.get', {}, ['settings.get'])
  const campaigns = useMethodQuery('campaigns.list', {}, ['campaigns.list'])
  const today = useMethodQuery('desk.today', {}, ['desk.today'])
  const [lineKind, setLineKind] = useState<'sip' | 'simulated'>(sipAccount ? 'sip' : 'simulated')
  const sp = useSoftphone(sipAccount, lineKind)
  // The softphone's state changes every half second on a call: effects and callbacks depend on its stable parts only.
  const { setError: setPhoneError, onEnded, dial: phoneDial, phone } = sp
  const outbox = useMemo(() => new OutcomeOutbox(api, me.id), [api, me.id])
  const [queued, setQueued] = useState(outbox.pending().length)
  const [failed, setFailed] = useState(outbox.failed())

  const [work, setWork] = useState<Work | null>(null)
  const [empty, setEmpty] = useState<{ reason: string; nextAt: string | null } | null>(null)
  const [agent, setAgent] = useState<{ state: AgentState; reason?: string }>({ state: 'offline' })
  const [wrapUpSec, setWrapUpSec] = useState(30)
  const [wrapLeft, setWrapLeft] = useState<number | null>(null)
  const [countdown, setCountdown] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [saving, setSaving] = useState(false)
  const [outcomeError, setOutcomeError] = useState<unknown>()
  const [ticked, setTicked] = useState<Set<string>>(new Set())
  const [step, setStep] = useState<string | null>(null)
  const [help, setHelp] = useState(false)
  const [manual, setManual] = useState('')
  const outcomeRef = useRef<OutcomeFormHandle>(null)

  const campaign = campaigns.data?.find((c) => c.id === (work?.lead.campaignId ?? 1)) ?? campaigns.data?.[0]
  const script = useMethodQuery('scripts.current', { campaignId: work?.lead.campaignId ?? 1 }, ['scripts.current', work?.lead.campaignId ?? 1], !!work)
  const inCall = sp.state === 'dialing' || sp.state === 'ringing' || sp.state === 'established'

  const setAgentState = useCallback(
    async (state: AgentState, reason?: (typeof PAUSE_REASONS)[number]) => {
      try {
        const r = await api.invoke('desk.setState', { state, reason })
        setWrapUpSec(r.wrapUpSec)
        setAgent({ state, reason })
      } catch (err) {
        setPhoneError(err)
      }
    },
    [api, setPhoneError]
  )

  // Ready on arrival; offline when the operator leaves the desk. Waiting outcomes are sent.
  useEffect(() => {
    void setAgentState('ready')
    void outbox.flush().then(() => (setQueued(outbox.pending().length), setFailed(outbox.failed())))
    return () => {
      void api.invoke('desk.setState', { state: 'offline' }).catch(() => {})
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  useEffect(() => {
    if (status !== 'open') return
    void outbox.flush().then(() => {
      setQueued(outbox.pending().length)
      setFailed(outbox.failed())
      void qc.invalidateQueries({ queryKey: ['desk.today'] })
    })
  }, [status, outbox, qc])
  useEffect(() => {
    if (!queued) return
    const id = setInterval(() => void outbox.flush().then(() => (setQueued(outbox.pending().length), setFailed(outbox.failed()))), 5000)
    return () => clearInterval(id)
  }, [queued, outbox])

  // The lease on the lead in hand is renewed while the desk works it.
  useEffect(() => {
    if (!work || work.outcomeSaved) return
    const id = setInterval(() => void api.invoke('desk.renew', { leadId: work.lead.id }).catch(() => {}), RENEW_MS)
    return () => clearInterval(id)
  }, [api, work])

  // The call's life drives the agent state.
  useEffect(() => {
    if (sp.state === 'established') void setAgentState('on_call')
  }, [sp.state, setAgentState])
  useEffect(
    () =>
      onEnded((c) => {
        if (c.leadId === null) return
        void setAgentState('wrap_up')
        setWrapLeft(wrapUpSec)
      }),
    [onEnded, setAgentState, wrapUpSec]
  )
  useEffect(() => {
    if (wrapLeft === null || wrapLeft <= 0) return
    const id = setTimeout(() => setWrapLeft(wrapLeft - 1), 1000)
    return () => clearTimeout(id)
  }, [wrapLeft])

  const next = useCallback(async () => {
    if (busy || inCall || (work && !work.outcomeSaved && work.callId !== null)) return
    setBusy(true)
    setEmpty(null)
    setPhoneError(undefined)
    setOutcomeError(undefined)
    try {
      const r = await api.invoke('desk.next', {})
      if (!r.lead) {
        setWork(null)
        setEmpty({ reason: r.reason, nextAt: r.nextAt })
        return
      }
      setWork({ lead: r.lead, source: r.source, callbackId: r.callbackId, callId: null, outcomeSaved: false })
      setTicked(new Set())
      setStep(null)
      setWrapLeft(null)
      if (r.dialMode === 'progressive' && agent.state !== 'paused') setCountdown(campaign?.settings.progressiveDelaySec ?? 10)
    } catch (err) {
      setPhoneError(err)
    } finally {
      setBusy(false)
    }
  }, [api, busy, inCall, work, setPhoneError, agent.state, campaign])

  /** What the softphone dials: the SIP line goes through the centre's dial plan (outside-line prefix, +86, local area code). */
  const dialTarget = useCallback(
    (number: string): string => {
      const target = dialTargetOf(phone, sipAccount, number)
      if (!target) throw new ApiError({ code: 'INVALID_INPUT', message: t('desk.badNumber'), key: 'desk.badNumber' })
      return target
    },
    [phone, sipAccount, t]
  )

  const dial = useCallback(async () => {
    if (!work || inCall || busy || work.outcomeSaved) return
    setCountdown(null)
    setBusy(true)
    setPhoneError(undefined)
    try {
      const r = await api.invoke('desk.dial', { leadId: work.lead.id, line: phone.kind })
      setWork({ ...work, callId: r.callId })
      setTicked(new Set())
      void setAgentState('dialing')
      // The full number goes to the softphone only; the screen keeps showing the masked one.
      await phoneDial({ callId: r.callId, leadId: work.lead.id, direction: 'outbound', notice: r.recordingNotice }, dialTarget(r.number))
    } catch (err) {
      setPhoneError(err)
    } finally {
      setBusy(false)
    }
  }, [api, work, inCall, busy, phone, phoneDial, setPhoneError, dialTarget, setAgentState])

  // Progressive mode: the next lead dials itself when the countdown ends (Alt+X stops it).
  useEffect(() => {
    if (countdown === null) return
    if (countdown <= 0) {
      setCountdown(null)
      void dial()
      return
    }
    const id = setTimeout(() => setCountdown(countdown - 1), 1000)
    return () => clearTimeout(id)
  }, [countdown, dial])

  const skip = async () => {
    if (!work || inCall || work.callId !== null) return
    setCountdown(null)
    try {
      await api.invoke('desk.release', { leadId: work.lead.id })
      setWork(null)
    } catch (err) {
      setPhoneError(err)
    }
  }

  const tick = async (stepId: string) => {
    if (!work?.callId || ticked.has(stepId)) return
    const offsetMs = sp.offsetMs() ?? 0
    setTicked(new Set([...ticked, stepId]))
    try {
      await api.invoke('desk.tick', { callId: work.callId, stepId, offsetMs })
    } catch (err) {
      setPhoneError(err)
    }
  }

  const saveOutcome = async (v: OutcomeValues) => {
    if (!work) return
    setSaving(true)
    setOutcomeError(undefined)
    try {
      const how = await outbox.submit({ clientId: newClientId(), leadId: work.lead.id, callId: work.callId, ...v })
      setQueued(outbox.pending().length)
      if (how === 'queued') void message.warning(t('desk.outcome.queued'))
      else void message.success(t('desk.outcome.saved'))
      setWork({ ...work, outcomeSaved: true })
      setWrapLeft(null)
      void qc.invalidateQueries({ queryKey: ['desk.today'] })
      if (agent.state !== 'paused') await setAgentState('ready')
      // Progressive mode moves straight on to the next lead.
      if (campaign?.settings.dialMode === 'progressive' && agent.state !== 'paused') {
        setWork(null)
        setTimeout(() => void nextRef.current(), 0)
      }
    } catch (err) {
      setOutcomeError(err)
    } finally {
      setSaving(false)
    }
  }
  const nextRef = useRef(next)
  useEffect(() => {
    nextRef.current = next
  })

  const onKey = (a: ShortcutAction) => {
    if (a === 'help') return setHelp(true)
    if (a === 'next') return void next()
    if (a === 'dial') return void dial()
    if (a === 'hangup') return void sp.hangup()
    if (a === 'mute') return sp.state === 'established' && sp.toggleMute()
    if (a === 'hold') return void (sp.state === 'established' && sp.toggleHold())
    if (a === 'skip') return void skip()
    if (a === 'answer') return void sp.answer().catch((err: unknown) => setPhoneError(err))
    if (a === 'stopAuto') return setCountdown(null)
    if (a === 'save') return outcomeRef.current?.submit()
    if (a === 'tick') {
      const req = script.data?.body.steps.filter((s) => s.mandatory && !ticked.has(s.id)) ?? []
      if (req[0]) void tick(req[0].id)
      return
    }
    if (a.startsWith('outcome:')) outcomeRef.current?.pick(a.slice('outcome:'.length))
  }
  useDeskShortcuts(onKey)

  const manualDial = async () => {
    setPhoneError(undefined)
    try {
      const number = manual.trim()
      if (!number) throw new ApiError({ code: 'INVALID_INPUT', message: t('desk.badNumber'), key: 'desk.badNumber' })
      const { callId, recordingNotice } = await api.invoke('calls.start', { direction: 'outbound', line: phone.kind, number })
      await phoneDial({ callId, leadId: null, direction: 'outbound', notice: recordingNotice }, dialTarget(number))
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
  const shownNumber = (n: string) => (n.length > 6 && !settings.data?.clearRoles.includes(me.role) ? maskWith(n, settings.data?.maskStyle ?? 'middle4') : n)
  const fig = today.data
  const canOutcome = !!work && work.callId !== null && !inCall && !work.outcomeSaved
  const hint = (k: string) => <Typography.Text type="secondary" style={{ fontSize: 11, marginLeft: 4 }}>{keyLabel(k)}</Typography.Text>

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" data-testid="desk-status">
        <Row gutter={16} align="middle" wrap>
          <Col flex="auto">
            <Space wrap>
              <Tag data-testid="agent-state" color={agent.state === 'ready' ? 'green' : agent.state === 'paused' ? 'orange' : agent.state === 'on_call' ? 'red' : 'blue'}>
                {t(`desk.agentStates.${agent.state}`)}
                {agent.reason ? ` · ${t(`desk.pauseReasons.${agent.reason}`)}` : ''}
              </Tag>
              {agent.state === 'paused' ? (
                <Button size="small" onClick={() => void setAgentState('ready')}>
                  {t('desk.resume')}
                </Button>
              ) : (
                <Select<(typeof PAUSE_REASONS)[number]>
                  size="small"
                  style={{ width: 140 }}
                  placeholder={
                    <span>
                      <PauseCircleOutlined /> {t('desk.pause')}
                    </span>
                  }
                  value={null as unknown as undefined}
                  disabled={inCall}
                  onChange={(r) => void setAgentState('paused', r)}
                  options={PAUSE_REASONS.map((r) => ({ value: r, label: t(`desk.pauseReasons.${r}`) }))}
                  aria-label={t('desk.pause')}
                />
              )}
              {wrapLeft !== null && work && !work.outcomeSaved && (
                <Tag color={wrapLeft > 0 ? 'blue' : 'red'} data-testid="wrap-up">
                  {wrapLeft > 0 ? t('desk.wrapUpLeft', { s: wrapLeft }) : t('desk.wrapUpOver')}
                </Tag>
              )}
              {queued > 0 && <Tag color="orange">{t('desk.outcome.waiting', { n: queued })}</Tag>}
            </Space>
          </Col>
          <Col>
            <Space size="large" data-testid="my-figures">
              <Statistic title={t('desk.figures.calls')} value={fig?.calls ?? 0} valueStyle={{ fontSize: 18 }} />
              <Statistic title={t('desk.figures.connected')} value={fig?.connected ?? 0} valueStyle={{ fontSize: 18 }} />
              <Statistic title={t('desk.figures.talk')} value={mmss(fig?.talkSec ?? 0)} valueStyle={{ fontSize: 18 }} />
              <div>
                <Typography.Text type="secondary">{t('desk.figures.successes')}</Typography.Text>
                <div>
                  <Typography.Text strong style={{ fontSize: 18 }} data-testid="successes">
                    {fig?.successes ?? 0}
                  </Typography.Text>
                  <Typography.Text type="secondary"> / {fig?.target ?? 20}</Typography.Text>
                </div>
                <Progress percent={fig?.target ? Math.round((100 * fig.successes) / fig.target) : 0} size="small" showInfo={false} style={{ width: 80, margin: 0 }} />
              </div>
              <Tooltip title={t('desk.shortcutsTitle')}>
                <Button icon={<QuestionCircleOutlined />} onClick={() => setHelp(true)} aria-label={t('desk.shortcutsTitle')}>
                  F1
                </Button>
              </Tooltip>
            </Space>
          </Col>
        </Row>
      </Card>

      {failed.length > 0 && (
        <Alert
          type="error"
          showIcon
          message={t('desk.outcome.failedLater', { n: failed.length })}
          description={failed.map((f) => `#${f.input.leadId} ${f.input.disposition}: ${f.message}`).join('；')}
          closable
          onClose={() => (outbox.saveFailed([]), setFailed([]))}
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
              <Button type="primary" onClick={() => void sp.answer().catch((err: unknown) => setPhoneError(err))}>
                {t('desk.answer')} {hint('a')}
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
            <Card
              size="small"
              title={
                <Space>
                  {t('desk.softphone')}
                  {sipAccount ? (
                    <Segmented<'sip' | 'simulated'>
                      size="small"
                      value={lineKind}
                      disabled={inCall}
                      onChange={setLineKind}
                      options={[
                        { value: 'sip', label: t('desk.sipLine') },
                        { value: 'simulated', label: t('desk.simulated') }
                      ]}
                    />
                  ) : (
                    <Tag color="purple">{t('desk.simulated')}</Tag>
                  )}
                  <Tag data-testid="line-state" color={sp.line.state === 'registered' ? 'green' : sp.line.state === 'failed' ? 'red' : 'default'}>
                    {t(`desk.lineStates.${sp.line.state}`)}
                    {sp.line.reason ? ` · ${sp.line.reason}` : ''}
                  </Tag>
                </Space>
              }
            >
              <Space direction="vertical" size="small" style={{ width: '100%' }}>
                {sp.phone.kind === 'simulated' && <Typography.Text type="secondary">{t('desk.simulatedHint')}</Typography.Text>}
                {sp.error !== undefined && <Alert type="error" showIcon message={errorText(t, sp.error)} data-testid="desk-error" />}
                <Space wrap>
                  <Button icon={<StepForwardOutlined />} onClick={() => void next()} loading={busy && !work} disabled={inCall || (!!work && work.callId !== null && !work.outcomeSaved)}>
                    {t('desk.actions.next')} {hint('n')}
                  </Button>
                  <Button type="primary" icon={<PhoneOutlined />} onClick={() => void dial()} disabled={!work || inCall || work.outcomeSaved || work.callId !== null}>
                    {t('desk.actions.dial')} {hint('d')}
                  </Button>
                  <Button onClick={() => void skip()} disabled={!work || inCall || work.callId !== null || work.outcomeSaved}>
                    {t('desk.actions.skip')} {hint('s')}
                  </Button>
                </Space>
                {countdown !== null && (
                  <Alert
                    type="warning"
                    data-testid="progressive-countdown"
                    message={t('desk.autoDialIn', { s: countdown })}
                    action={
                      <Button size="small" onClick={() => setCountdown(null)}>
                        {t('desk.actions.stopAuto')} {hint('x')}
                      </Button>
                    }
                  />
                )}
                <Space wrap>
                  <Button danger icon={<StopOutlined />} disabled={!inCall} onClick={() => void sp.hangup()}>
                    {t('desk.hangup')} {hint('h')}
                  </Button>
                  <Button icon={sp.muted ? <AudioMutedOutlined /> : <AudioOutlined />} disabled={sp.state !== 'established'} onClick={sp.toggleMute}>
                    {sp.muted ? t('desk.unmute') : t('desk.mute')} {hint('m')}
                  </Button>
                  <Button disabled={sp.state !== 'established'} onClick={() => void sp.toggleHold().catch((err: unknown) => setPhoneError(err))}>
                    {sp.held ? t('desk.unhold') : t('desk.hold')} {hint('p')}
                  </Button>
                </Space>
                <Typography.Text data-testid="call-state">
                  {t(`desk.states.${sp.state}`)}
                  {sp.state === 'established' && sp.call?.answeredAt ? <CallClock from={sp.call.answeredAt} /> : null}
                  {sp.state === 'established' && (
                    <Tag color="red" style={{ marginLeft: 8 }}>
                      {t('desk.recording')}
                    </Tag>
                  )}
                  {sp.playingNotice && <Tag color="gold">{t('desk.playingNotice')}</Tag>}
                  {sp.held && <Tag color="orange">{t('desk.onHold')}</Tag>}
                </Typography.Text>
                {sp.quality && sp.phone.kind === 'sip' && (
                  <Typography.Text type="secondary" data-testid="call-quality">
                    {t('desk.quality', { lost: sp.quality.packetsLost, jitter: sp.quality.jitterMs.toFixed(0), rtt: sp.quality.roundTripMs.toFixed(0), kb: Math.round(sp.quality.bytesReceived / 1024) })}
                  </Typography.Text>
                )}
                <Space.Compact style={{ width: '100%' }}>
                  <Input aria-label={t('desk.number')} placeholder={t('desk.manualNumber')} value={manual} disabled={inCall} onChange={(e) => setManual(e.target.value)} onPressEnter={() => !inCall && manual.trim() && void manualDial()} />
                  <Button icon={<PhoneOutlined />} disabled={inCall || !manual.trim()} onClick={() => void manualDial()}>
                    {t('desk.call')}
                  </Button>
                </Space.Compact>
                {sp.lastRecording && (
                  <Descriptions size="small" bordered column={1} title={t('desk.lastRecording')} data-testid="last-recording">
                    <Descriptions.Item label="#">{sp.lastRecording.id}</Descriptions.Item>
                    <Descriptions.Item label={t('desk.duration')}>{(sp.lastRecording.durationMs / 1000).toFixed(1)} s</Descriptions.Item>
                    <Descriptions.Item label={t('desk.size')}>{Math.round(sp.lastRecording.bytes / 1024)} KB</Descriptions.Item>
                    <Descriptions.Item label="SHA-256">
                      <Typography.Text code>{sp.lastRecording.sha256?.slice(0, 16)}…</Typography.Text>
                    </Descriptions.Item>
                  </Descriptions>
                )}
              </Space>
            </Card>
            {work && (
              <ScriptPanel script={script.data} values={placeholders} ticked={ticked} canTick={!!work.callId && !work.outcomeSaved} onTick={(id) => void tick(id)} step={step} onStep={setStep} />
            )}
          </Space>
        </Col>
        <Col xs={24} xl={15}>
          {work ? (
            <Space direction="vertical" size="middle" style={{ width: '100%' }}>
              <Space>
                <Tag color={work.source === 'callback' ? 'magenta' : work.source === 'batch' ? 'blue' : 'default'} data-testid="lead-source">
                  {t(`desk.sources.${work.source}`)}
                </Tag>
                {work.outcomeSaved && <Tag color="green">{t('desk.outcome.done')}</Tag>}
              </Space>
              <OutcomeForm ref={outcomeRef} lead={work.lead} dispositions={campaign?.settings.dispositions ?? []} disabled={!canOutcome} saving={saving} error={outcomeError} onSubmit={(v) => void saveOutcome(v)} />
              <CustomerCard lead={work.lead} onSaved={(lead) => setWork({ ...work, lead })} />
            </Space>
          ) : (
            <Card size="small">
              <Empty description={empty ? <span data-testid="queue-empty">{empty.reason}</span> : t('desk.pressNext', { key: keyLabel('n') })}>
                <Button type="primary" onClick={() => void next()} icon={<StepForwardOutlined />} disabled={inCall}>
                  {t('desk.actions.next')}
                </Button>
              </Empty>
            </Card>
          )}
        </Col>
      </Row>
      <ShortcutHelp open={help} onClose={() => setHelp(false)} outcomes={campaign?.settings.dispositions ?? []} />
    </Space>
  )
}
