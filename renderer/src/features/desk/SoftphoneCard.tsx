import { useEffect, useState, type ReactNode } from 'react'
import { Alert, Button, Card, Descriptions, Input, Segmented, Space, Tag, Typography } from 'antd'
import { AudioMutedOutlined, AudioOutlined, PhoneOutlined, StepForwardOutlined, StopOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import type { SipAccount } from '../../../../shared/contract'
import { errorText } from '../../api/errors'
import { mmss } from './DeskStatusBar'
import { keyLabel } from './shortcuts'
import type { Softphone } from './use-softphone'
import type { Monitored } from '../monitor/use-desk-monitor'

/**
 * The call's running time; it ticks on its own so that the desk around it does not re-render every
 * second, and once a second, when the shown second changes (the page's work during a call is part of
 * what recording costs the seat).
 */
function CallClock({ from }: { from: number }) {
  const [now, setNow] = useState(from)
  useEffect(() => {
    let id: ReturnType<typeof setTimeout>
    const tick = () => {
      const t = performance.now()
      setNow(t)
      id = setTimeout(tick, 1000 - ((t - from) % 1000) + 5)
    }
    tick()
    return () => clearTimeout(id)
  }, [from])
  return <> {mmss(Math.max(0, Math.floor((now - from) / 1000)))}</>
}

/** The call's state, its running time, 录音中 while the recorder runs, the notice playing, hold, monitoring. */
export function CallStatus({ sp, monitored }: { sp: Softphone; monitored?: Monitored | null }) {
  const { t } = useTranslation()
  return (
    <Typography.Text data-testid="call-state">
      {t(`desk.states.${sp.state}`)}
      {sp.state === 'established' && sp.call?.answeredAt ? <CallClock from={sp.call.answeredAt} /> : null}
      {sp.state === 'established' && sp.recording && (
        <Tag color="red" style={{ marginLeft: 8 }} data-testid="recording-tag">
          {t('desk.recording')}
        </Tag>
      )}
      {sp.playingNotice && <Tag color="gold">{t('desk.playingNotice')}</Tag>}
      {sp.held && <Tag color="orange">{t('desk.onHold')}</Tag>}
      {monitored && (
        <Tag color="purple" data-testid="monitored">
          {t(`monitor.desk.${monitored.mode}`, { name: monitored.supervisorName })}
        </Tag>
      )}
    </Typography.Text>
  )
}

/** Why the line is not registered, in words: reconnecting, refused by the server (with its code), or unreachable. */
export function lineReasonText(reason: string, t: TFunction): string {
  if (reason === 'reconnecting') return t('desk.lineReasons.reconnecting')
  const code = /^(\d{3}) /.exec(reason)
  if (code) return t('desk.lineReasons.refused', { code: code[1] })
  return t('desk.lineReasons.unreachable')
}

export function KeyHint({ k }: { k: string }) {
  return (
    <Typography.Text type="secondary" style={{ fontSize: 11, marginLeft: 4 }}>
      {keyLabel(k)}
    </Typography.Text>
  )
}

/** The softphone: the line and its state, next/dial/skip, the progressive countdown, hang-up, mute, hold, dialling by hand, the last recording. */
export function SoftphoneCard({
  sp,
  sipAccount,
  lineKind,
  onLineKind,
  busyLine,
  loadingNext,
  may,
  countdown,
  notice,
  onNext,
  onDial,
  onSkip,
  onStopCountdown,
  onManualDial,
  monitored
}: {
  sp: Softphone
  /** A supervisor monitors the call, and the centre wants the operator to see it. */
  monitored?: Monitored | null
  sipAccount: SipAccount | null
  lineKind: 'sip' | 'simulated'
  onLineKind: (k: 'sip' | 'simulated') => void
  busyLine: boolean
  loadingNext: boolean
  may: { next: boolean; dial: boolean; skip: boolean }
  countdown: number | null
  /** A message for the operator about the last action (why Alt+N did nothing …). */
  notice: ReactNode
  onNext: () => void
  onDial: () => void
  onSkip: () => void
  onStopCountdown: () => void
  onManualDial: (number: string) => void
}) {
  const { t } = useTranslation()
  const [manual, setManual] = useState('')
  return (
    <Card
      size="small"
      title={
        <Space>
          {t('desk.softphone')}
          {sipAccount ? (
            <Segmented<'sip' | 'simulated'>
              size="small"
              value={lineKind}
              disabled={busyLine}
              onChange={onLineKind}
              options={[
                { value: 'sip', label: t('desk.sipLine') },
                { value: 'simulated', label: t('desk.simulated') }
              ]}
            />
          ) : (
            <Tag color="purple">{t('desk.simulated')}</Tag>
          )}
          <Tag
            data-testid="line-state"
            color={sp.line.state === 'registered' ? 'green' : sp.line.state === 'failed' ? 'red' : 'default'}
            title={sp.line.reason}
          >
            {t(`desk.lineStates.${sp.line.state}`)}
            {sp.line.reason ? ` · ${lineReasonText(sp.line.reason, t)}` : ''}
          </Tag>
        </Space>
      }
    >
      <Space direction="vertical" size="small" style={{ width: '100%' }}>
        {sp.phone.kind === 'simulated' && <Typography.Text type="secondary">{t('desk.simulatedHint')}</Typography.Text>}
        {sp.error !== undefined && (
          <Alert type="error" showIcon message={errorText(t, sp.error)} data-testid="desk-error" />
        )}
        {sp.recordingProblem !== null && (
          <Alert
            type="warning"
            showIcon
            closable
            onClose={sp.clearRecordingProblem}
            data-testid="recording-problem"
            message={t('desk.recordingIncomplete', { reason: errorText(t, sp.recordingProblem) })}
          />
        )}
        {notice}
        <Space wrap>
          <Button icon={<StepForwardOutlined />} onClick={onNext} loading={loadingNext} disabled={!may.next}>
            {t('desk.actions.next')} <KeyHint k="n" />
          </Button>
          <Button type="primary" icon={<PhoneOutlined />} onClick={onDial} disabled={!may.dial}>
            {t('desk.actions.dial')} <KeyHint k="d" />
          </Button>
          <Button onClick={onSkip} disabled={!may.skip}>
            {t('desk.actions.skip')} <KeyHint k="s" />
          </Button>
        </Space>
        {countdown !== null && (
          <Alert
            type="warning"
            data-testid="progressive-countdown"
            message={t('desk.autoDialIn', { s: countdown })}
            action={
              <Button size="small" onClick={onStopCountdown}>
                {t('desk.actions.stopAuto')} <KeyHint k="x" />
              </Button>
            }
          />
        )}
        <Space wrap>
          <Button danger icon={<StopOutlined />} disabled={!busyLine} onClick={() => void sp.hangup()}>
            {t('desk.hangup')} <KeyHint k="h" />
          </Button>
          <Button
            icon={sp.muted ? <AudioMutedOutlined /> : <AudioOutlined />}
            disabled={sp.state !== 'established'}
            onClick={sp.toggleMute}
          >
            {sp.muted ? t('desk.unmute') : t('desk.mute')} <KeyHint k="m" />
          </Button>
          <Button
            disabled={sp.state !== 'established'}
            onClick={() => void sp.toggleHold().catch((err: unknown) => sp.setError(err))}
          >
            {sp.held ? t('desk.unhold') : t('desk.hold')} <KeyHint k="p" />
          </Button>
        </Space>
        <CallStatus sp={sp} monitored={monitored} />
        {sp.quality && sp.phone.kind === 'sip' && (
          <Typography.Text type="secondary" data-testid="call-quality">
            {t('desk.quality', {
              lost: sp.quality.packetsLost,
              jitter: sp.quality.jitterMs.toFixed(0),
              rtt: sp.quality.roundTripMs.toFixed(0),
              kb: Math.round(sp.quality.bytesReceived / 1024)
            })}
          </Typography.Text>
        )}
        <Space.Compact style={{ width: '100%' }}>
          <Input
            aria-label={t('desk.number')}
            placeholder={t('desk.manualNumber')}
            value={manual}
            disabled={busyLine}
            onChange={(e) => setManual(e.target.value)}
            onPressEnter={() => !busyLine && manual.trim() && onManualDial(manual)}
          />
          <Button icon={<PhoneOutlined />} disabled={busyLine || !manual.trim()} onClick={() => onManualDial(manual)}>
            {t('desk.call')}
          </Button>
        </Space.Compact>
        {sp.lastRecording && (
          <Descriptions size="small" bordered column={1} title={t('desk.lastRecording')} data-testid="last-recording">
            <Descriptions.Item label="#">{sp.lastRecording.id}</Descriptions.Item>
            <Descriptions.Item label={t('desk.duration')}>
              {(sp.lastRecording.durationMs / 1000).toFixed(1)} s
            </Descriptions.Item>
            <Descriptions.Item label={t('desk.size')}>{Math.round(sp.lastRecording.bytes / 1024)} KB</Descriptions.Item>
            <Descriptions.Item label={t('desk.recordingState')}>
              {t(`desk.recordingStates.${sp.lastRecording.state}`)}
            </Descriptions.Item>
          </Descriptions>
        )}
      </Space>
    </Card>
  )
}
