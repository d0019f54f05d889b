import { useCallback, useEffect, useRef, useState } from 'react'
import { Alert, Button, Card, Progress, Segmented, Space, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { EventPayload, MonitorMode } from '../../../../shared/contract'
import { MONITOR_MODES } from '../../../../shared/contract/enums'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { MonitorListener } from './listener'
import { typing } from '../../ui/keys'

type SupervisorEvent = EventPayload<'monitor.supervisor'>
type Phase = 'starting' | 'connecting' | 'live' | 'ended'

/** The desk has this long to send its call before the panel says it did not answer. */
const OFFER_WAIT_MS = 10_000

/**
 * 监听、耳语、强插 from the wallboard: starts listening to the operator's call at once; 1/2/3 (or
 * Alt+1/2/3) switch the mode, Esc ends it. Ends by itself when the call ends.
 */
export function MonitorPanel({ operatorId, name, onClose }: { operatorId: number; name: string; onClose: () => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const [phase, setPhase] = useState<Phase>('starting')
  const [mode, setMode] = useState<MonitorMode>('listen')
  const [ended, setEnded] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [canSpeak, setCanSpeak] = useState(true)
  const [levels, setLevels] = useState({ operator: 0, customer: 0 })
  const session = useRef<{ id: number; listener: MonitorListener | null } | null>(null)

  const finish = useCallback((reason: string) => {
    session.current?.listener?.close()
    session.current = null
    setEnded(reason)
    setPhase('ended')
  }, [])

  useEffect(() => {
    let gone = false
    const early: SupervisorEvent[] = []
    const handle = (e: SupervisorEvent) => {
      const s = session.current
      if (!s || e.sessionId !== s.id) return
      if (e.kind === 'end') return finish(e.reason ?? 'stopped')
      if (e.signal?.type === 'decline') return
      if (e.signal?.type !== 'offer' || s.listener) return
      const listener = new MonitorListener(api, s.id, 'listen')
      s.listener = listener
      setPhase('connecting')
      listener.onState((st) => {
        if (st === 'connected') setPhase('live')
      })
      listener
        .accept(e.signal.sdp)
        .then(() => setCanSpeak(listener.canSpeak))
        .catch((err: unknown) => {
          setError(err)
          void api.invoke('monitor.stop', { sessionId: s.id }).catch(() => {})
        })
    }
    const off = api.on('monitor.supervisor', (e) => (session.current ? handle(e) : early.push(e)))
    api
      .invoke('monitor.start', { operatorId, mode: 'listen' })
      .then((s) => {
        if (gone) {
          void api.invoke('monitor.stop', { sessionId: s.sessionId }).catch(() => {})
          return
        }
        session.current = { id: s.sessionId, listener: null }
        early.splice(0).forEach(handle)
      })
      .catch((err: unknown) => {
        setError(err)
        setPhase('ended')
      })
    const noOffer = setTimeout(() => {
      const s = session.current
      if (s && !s.listener) {
        void api.invoke('monitor.stop', { sessionId: s.id }).catch(() => {})
        finish('noAnswer')
      }
    }, OFFER_WAIT_MS)
    return () => {
      gone = true
      off()
      clearTimeout(noOffer)
      const s = session.current
      if (s) void api.invoke('monitor.stop', { sessionId: s.id }).catch(() => {})
      s?.listener?.close()
      session.current = null
    }
  }, [api, operatorId, finish])

  useEffect(() => {
    if (phase !== 'live') return
    const id = setInterval(() => {
      const l = session.current?.listener
      if (l) setLevels(l.levels())
    }, 200)
    return () => clearInterval(id)
  }, [phase])

  const switchTo = useCallback(
    async (m: MonitorMode) => {
      const s = session.current
      if (!s) return
      if (m !== 'listen' && s.listener && !s.listener.canSpeak) return
      try {
        await api.invoke('monitor.mode', { sessionId: s.id, mode: m })
        await s.listener?.setMode(m)
        setMode(m)
      } catch (err) {
        setError(err)
      }
    },
    [api]
  )
  const stop = useCallback(async () => {
    const s = session.current
    if (s) await api.invoke('monitor.stop', { sessionId: s.id }).catch(() => {})
    finish('stopped')
  }, [api, finish])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || (!e.altKey && typing(e.target))) return
      const n = /^Digit([123])$/.exec(e.code)?.[1]
      if (n) {
        e.preventDefault()
        void switchTo(MONITOR_MODES[Number(n) - 1])
      } else if (e.key === 'Escape' && session.current) {
        e.preventDefault()
        void stop()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [switchTo, stop])

  const live = phase === 'live'
  return (
    <Card
      size="small"
      data-testid="monitor-panel"
      title={t('monitor.title', { name })}
      extra={
        phase === 'ended' ? (
          <Button size="small" onClick={onClose}>
            {t('common.close')}
          </Button>
        ) : (
          <Button danger size="small" onClick={() => void stop()} data-testid="monitor-stop">
            {t('monitor.stop')} <Typography.Text type="secondary">Esc</Typography.Text>
          </Button>
        )
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Segmented<MonitorMode>
            value={mode}
            disabled={!live}
            onChange={(m) => void switchTo(m)}
            data-testid="monitor-mode"
            options={MONITOR_MODES.map((m, i) => ({
              value: m,
              disabled: m !== 'listen' && !canSpeak,
              label: `${t(`monitor.modes.${m}`)} ${i + 1}`
            }))}
          />
          <Tag color={live ? 'green' : phase === 'ended' ? 'default' : 'blue'} data-testid="monitor-phase">
            {t(`monitor.phase.${phase}`)}
          </Tag>
        </Space>
        <Typography.Text type="secondary">{t(`monitor.hints.${mode}`)}</Typography.Text>
        {!canSpeak && <Alert type="warning" showIcon message={t('monitor.noMic')} />}
        {live && (
          <Space size="large">
            <span>
              {t('monitor.operatorSide')}{' '}
              <Progress
                percent={Math.round(levels.operator * 100)}
                showInfo={false}
                size="small"
                style={{ width: 100 }}
              />
            </span>
            <span>
              {t('monitor.customerSide')}{' '}
              <Progress
                percent={Math.round(levels.customer * 100)}
                showInfo={false}
                size="small"
                style={{ width: 100 }}
              />
            </span>
          </Space>
        )}
        {ended && <Alert type="info" showIcon data-testid="monitor-ended" message={t(`monitor.ended.${ended}`)} />}
        {!!error && <Alert type="error" showIcon message={errorText(t, error)} />}
      </Space>
    </Card>
  )
}
