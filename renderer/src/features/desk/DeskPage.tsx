import { useEffect, useMemo, useRef, useState } from 'react'
import { Alert, Button, Card, Descriptions, Input, Segmented, Space, Tag, Typography } from 'antd'
import { AudioMutedOutlined, AudioOutlined, PhoneOutlined, StopOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { Recording } from '../../../../shared/contract'
import { useApi } from '../../api/ApiProvider'
import { ApiError, errorText } from '../../api/errors'
import { dialString } from '../../../../shared/domain/dialplan'
import { CallRecorder } from '../phone/recorder'
import { SimulatedLine } from '../phone/simulated-line'
import type { CallState, CallStats, LineState, Phone } from '../phone/types'
import { SipLine } from '../phone/sip-line'
import { useMethodQuery } from '../../api/queries'

/**
 * 拨号工作台 (first part): the softphone — the SIP line when the operator has an account, else the
 * simulated line — recording every answered call.
 * The dial queue, script and outcome form come with the operator desk.
 */
export function DeskPage() {
  const { t } = useTranslation()
  const api = useApi()
  const account = useMethodQuery('sip.myAccount', {}, ['sip.myAccount'])
  const [lineKind, setLineKind] = useState<'sip' | 'simulated'>('simulated')
  useEffect(() => {
    if (account.data) setLineKind('sip')
  }, [account.data])
  const phone: Phone = useMemo(() => (lineKind === 'sip' && account.data ? new SipLine(account.data) : new SimulatedLine()), [lineKind, account.data])
  const [line, setLine] = useState<{ state: LineState; reason?: string }>({ state: 'unregistered' })
  const [number, setNumber] = useState('')
  const [state, setState] = useState<CallState>('idle')
  const [muted, setMuted] = useState(false)
  const [error, setError] = useState<unknown>()
  const [last, setLast] = useState<Recording | null>(null)
  const [elapsed, setElapsed] = useState(0)
  const call = useRef<{ callId: number; recorder: Promise<CallRecorder> | null; answeredAt: number | null }>(null)

  useEffect(() => {
    void phone.register()
    const off = phone.on((e) => {
      if (e.type === 'line') {
        setLine({ state: e.state, reason: e.reason })
        return
      }
      setState(e.state)
      const c = call.current
      if (!c) return
      if (e.state === 'established') {
        c.answeredAt = performance.now()
        c.recorder = CallRecorder.start(api, c.callId, phone.media()!)
        c.recorder.catch((err: unknown) => setError(err))
      }
      if (e.state === 'ended') {
        call.current = null
        void (async () => {
          try {
            const rec = c.recorder ? await c.recorder : null
            if (rec) await rec.stop()
            await api.invoke('calls.end', { callId: c.callId, cause: e.cause ?? 'normal', answered: c.answeredAt !== null })
            if (rec) setLast(await api.invoke('recordings.get', { id: rec.recordingId }))
          } catch (err) {
            setError(err)
          }
        })()
      }
    })
    return () => {
      off()
      void phone.hangup().then(() => phone.unregister())
    }
  }, [api, phone])

  const [quality, setQuality] = useState<CallStats | null>(null)
  useEffect(() => {
    if (state !== 'established') {
      setQuality(null)
      return
    }
    const started = performance.now()
    const id = setInterval(() => setElapsed(Math.floor((performance.now() - started) / 1000)), 500)
    // Call quality from the line (WebRTC getStats on the SIP line), every two seconds.
    const q = setInterval(() => void phone.stats().then(setQuality), 2000)
    return () => {
      clearInterval(id)
      clearInterval(q)
    }
  }, [state, phone])

  const dial = async () => {
    setError(undefined)
    try {
      const { callId } = await api.invoke('calls.start', { direction: 'outbound', line: phone.kind })
      call.current = { callId, recorder: null, answeredAt: null }
      setElapsed(0)
      // The SIP line dials through the centre's dial plan (outside-line prefix, +86, local area code).
      const target = phone.kind === 'sip' && account.data ? dialString(number, { outsidePrefix: account.data.outsidePrefix, localAreaCode: account.data.localAreaCode }) : number.trim()
      if (!target) throw new ApiError({ code: 'INVALID_INPUT', message: t('desk.badNumber'), key: 'desk.badNumber' })
      await phone.call(target)
    } catch (err) {
      call.current = null
      setError(err)
    }
  }

  const busy = state === 'dialing' || state === 'ringing' || state === 'established'
  const mmss = `${String(Math.floor(elapsed / 60)).padStart(2, '0')}:${String(elapsed % 60).padStart(2, '0')}`

  return (
    <Card
      title={
        <Space>
          {t('desk.softphone')}
          {account.data ? (
            <Segmented<'sip' | 'simulated'>
              size="small"
              value={lineKind}
              disabled={state === 'dialing' || state === 'ringing' || state === 'established'}
              onChange={setLineKind}
              options={[
                { value: 'sip', label: t('desk.sipLine') },
                { value: 'simulated', label: t('desk.simulated') }
              ]}
            />
          ) : (
            <Tag color="purple">{t('desk.simulated')}</Tag>
          )}
          <Tag data-testid="line-state" color={line.state === 'registered' ? 'green' : line.state === 'failed' ? 'red' : 'default'}>
            {t(`desk.lineStates.${line.state}`)}
            {line.reason ? ` · ${line.reason}` : ''}
          </Tag>
        </Space>
      }
      style={{ maxWidth: 720 }}
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {phone.kind === 'simulated' && <Typography.Paragraph type="secondary">{t('desk.simulatedHint')}</Typography.Paragraph>}
        {error !== undefined && <Alert type="error" showIcon message={errorText(t, error)} />}
        <Space.Compact style={{ width: '100%' }}>
          <Input aria-label={t('desk.number')} placeholder={t('desk.number')} value={number} disabled={busy} onChange={(e) => setNumber(e.target.value)} onPressEnter={() => !busy && number.trim() && void dial()} />
          <Button type="primary" icon={<PhoneOutlined />} disabled={busy || !number.trim()} onClick={() => void dial()}>
            {t('desk.call')}
          </Button>
          <Button danger icon={<StopOutlined />} disabled={!busy} onClick={() => void phone.hangup()}>
            {t('desk.hangup')}
          </Button>
          <Button
            icon={muted ? <AudioMutedOutlined /> : <AudioOutlined />}
            disabled={state !== 'established'}
            onClick={() => {
              phone.setMuted(!muted)
              setMuted(!muted)
            }}
          >
            {muted ? t('desk.unmute') : t('desk.mute')}
          </Button>
        </Space.Compact>
        <Typography.Text data-testid="call-state">
          {t(`desk.states.${state}`)}
          {state === 'established' ? ` ${mmss}` : ''}
          {state === 'established' && <Tag color="red" style={{ marginLeft: 8 }}>{t('desk.recording')}</Tag>}
        </Typography.Text>
        {quality && phone.kind === 'sip' && (
          <Typography.Text type="secondary" data-testid="call-quality">
            {t('desk.quality', { lost: quality.packetsLost, jitter: quality.jitterMs.toFixed(0), rtt: quality.roundTripMs.toFixed(0), kb: Math.round(quality.bytesReceived / 1024) })}
          </Typography.Text>
        )}
        {last && (
          <Descriptions size="small" bordered column={1} title={t('desk.lastRecording')} data-testid="last-recording">
            <Descriptions.Item label="#">{last.id}</Descriptions.Item>
            <Descriptions.Item label={t('desk.duration')}>{(last.durationMs / 1000).toFixed(1)} s</Descriptions.Item>
            <Descriptions.Item label={t('desk.size')}>{Math.round(last.bytes / 1024)} KB</Descriptions.Item>
            <Descriptions.Item label="SHA-256">
              <Typography.Text code>{last.sha256?.slice(0, 16)}…</Typography.Text>
            </Descriptions.Item>
          </Descriptions>
        )}
      </Space>
    </Card>
  )
}
