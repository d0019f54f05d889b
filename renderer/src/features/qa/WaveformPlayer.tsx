import { useEffect, useRef, useState, type MouseEvent } from 'react'
import { Alert, Button, Segmented, Space, Tooltip, Typography, message } from 'antd'
import {
  CaretRightOutlined,
  LinkOutlined,
  PauseOutlined,
  StepBackwardOutlined,
  StepForwardOutlined,
  TagOutlined
} from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import WaveSurfer from 'wavesurfer.js'
import RegionsPlugin, { type Region } from 'wavesurfer.js/dist/plugins/regions.esm.js'
import TimelinePlugin from 'wavesurfer.js/dist/plugins/timeline.esm.js'
import { clockOf } from '../shell/use-hash-params'
import { lanesFromPeaks } from './peaks'

export interface Marker {
  offsetMs: number
  title: string
  mandatory: boolean
}
export interface Span {
  id: number
  startMs: number
  endMs: number
  comment: string
}

const SPEEDS = [0.5, 1, 1.5, 2] as const

/** A marker's or a region's caption, on one line above the waves. */
function label(text: string): HTMLElement {
  const el = document.createElement('span')
  el.textContent = text
  el.title = text
  el.style.cssText =
    'white-space:nowrap;font-size:11px;padding:0 3px;background:rgba(255,255,255,0.85);border-radius:2px;max-width:160px;overflow:hidden;text-overflow:ellipsis;display:inline-block'
  return el
}
const OPERATOR = { wave: '#1677ff', progress: '#0958d9' }
const CUSTOMER = { wave: '#52c41a', progress: '#389e0d' }

/**
 * The QA player: the waveform is drawn at once from the stored peaks and duration (nothing is
 * decoded), the audio streams through the media element with range requests. Two lanes:
 * operator (left channel) above, customer (right) below. Markers for the script steps the
 * operator ticked, regions for annotations; drag on the waveform to mark a span.
 */
export function WaveformPlayer(props: {
  url: string | null
  peaks: string
  durationMs: number
  interrupted: boolean
  markers: Marker[]
  annotations: Span[]
  startAt?: number
  onPosition?: (seconds: number) => void
  onSelect?: (startMs: number, endMs: number) => void
}) {
  const { t } = useTranslation()
  const box = useRef<HTMLDivElement>(null)
  const ws = useRef<WaveSurfer | null>(null)
  const regions = useRef<RegionsPlugin | null>(null)
  const [playing, setPlaying] = useState(false)
  const [time, setTime] = useState(props.startAt ?? 0)
  const [speed, setSpeed] = useState<number>(1)
  /** The player knows its duration (regions added before that would all sit at 0:00). */
  const [ready, setReady] = useState(false)
  const onPosition = useRef(props.onPosition)
  const onSelect = useRef(props.onSelect)
  useEffect(() => {
    onPosition.current = props.onPosition
    onSelect.current = props.onSelect
  })

  // One instance per recording: peaks, duration and the streaming address.
  useEffect(() => {
    if (!box.current || !props.url) return
    const duration = Math.max(0.1, props.durationMs / 1000)
    const reg = RegionsPlugin.create()
    const instance = WaveSurfer.create({
      container: box.current,
      height: 64,
      // the lanes keep their real levels (normalising would blow a silent side's hiss up to full height)
      normalize: false,
      barHeight: 1.6,
      url: props.url,
      peaks: lanesFromPeaks(props.peaks),
      duration,
      splitChannels: [
        { waveColor: OPERATOR.wave, progressColor: OPERATOR.progress },
        { waveColor: CUSTOMER.wave, progressColor: CUSTOMER.progress }
      ],
      cursorColor: '#f5222d',
      cursorWidth: 2,
      dragToSeek: true,
      plugins: [reg, TimelinePlugin.create({ height: 18 })]
    })
    regions.current = reg
    ws.current = instance
    const start = props.startAt ?? 0
    instance.on('ready', () => {
      if (start > 0) instance.setTime(Math.min(start, duration))
      setReady(true)
    })
    instance.on('play', () => setPlaying(true))
    instance.on('pause', () => {
      setPlaying(false)
      onPosition.current?.(instance.getCurrentTime())
    })
    instance.on('finish', () => setPlaying(false))
    instance.on('timeupdate', (s) => setTime(s))
    instance.on('interaction', (s) => onPosition.current?.(s))
    reg.enableDragSelection({ color: 'rgba(250, 173, 20, 0.25)' })
    reg.on('region-created', (r: Region) => {
      // a span dragged by the reviewer (ours are added with an id)
      if (r.id.startsWith('ann-') || r.id.startsWith('step-')) return
      onSelect.current?.(Math.round(r.start * 1000), Math.round(r.end * 1000))
      r.remove()
    })
    return () => {
      instance.destroy()
      ws.current = null
      regions.current = null
      setReady(false)
    }
    // the player is rebuilt only for another recording
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.url, props.peaks, props.durationMs])

  // Markers and annotations follow the data without rebuilding the player, once it knows its duration
  // (the regions plugin places a region by its share of the duration, and clamps it to 0 before that).
  // Only what changed is removed or added: the page re-renders on every pause and seek, and the plugin
  // appends a new region's element on the next tick even when the region was removed in between, so
  // removing and re-adding them all each time left a second copy of every caption.
  const markerKey = JSON.stringify(props.markers)
  const annotationKey = JSON.stringify(props.annotations)
  useEffect(() => {
    const reg = regions.current
    if (!reg || !ready) return
    const markers = JSON.parse(markerKey) as Marker[]
    const annotations = JSON.parse(annotationKey) as Span[]
    const wanted = new Map<string, () => void>()
    for (const m of markers) {
      const id = `step-${m.title}-${m.offsetMs}-${m.mandatory ? 1 : 0}`
      wanted.set(id, () => {
        const region = reg.addRegion({
          id,
          start: m.offsetMs / 1000,
          content: label(m.title),
          color: m.mandatory ? '#722ed1' : '#8c8c8c',
          drag: false,
          resize: false
        })
        region.element?.setAttribute('data-marker', m.title)
      })
    }
    for (const a of annotations) {
      const id = `ann-${a.id}-${a.startMs}-${a.endMs}-${a.comment}`
      wanted.set(id, () =>
        reg.addRegion({
          id,
          start: a.startMs / 1000,
          end: Math.max(a.endMs, a.startMs + 200) / 1000,
          content: label(a.comment),
          color: 'rgba(250, 84, 28, 0.2)',
          drag: false,
          resize: false
        })
      )
    }
    const have = new Set<string>()
    for (const r of reg.getRegions()) {
      if (!r.id.startsWith('ann-') && !r.id.startsWith('step-')) continue
      if (wanted.has(r.id)) have.add(r.id)
      else {
        const el = r.element
        r.remove()
        // the plugin may still append it on its next tick (see above)
        if (el) setTimeout(() => el.remove(), 0)
      }
    }
    for (const [id, add] of wanted) if (!have.has(id)) add()
  }, [markerKey, annotationKey, props.url, ready])

  const skip = (s: number) => {
    const w = ws.current
    if (!w) return
    w.setTime(Math.max(0, Math.min(w.getDuration(), w.getCurrentTime() + s)))
    onPosition.current?.(w.getCurrentTime())
  }
  const rate = (r: number) => {
    setSpeed(r)
    ws.current?.setPlaybackRate(r, true) // pitch kept
  }
  const toggle = () => void ws.current?.playPause()
  /** The player's buttons do not take the focus: Space and the arrows keep driving the player after a click. */
  const keepFocus = { onMouseDown: (e: MouseEvent) => e.preventDefault() }

  // Space, arrows and digits, unless the reviewer is typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null
      if (el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))) return
      if (e.altKey || e.ctrlKey || e.metaKey) return
      if (e.key === ' ') {
        e.preventDefault()
        toggle()
      } else if (e.key === 'ArrowLeft') {
        e.preventDefault()
        skip(-5)
      } else if (e.key === 'ArrowRight') {
        e.preventDefault()
        skip(5)
      } else if (/^[1-4]$/.test(e.key)) rate(SPEEDS[Number(e.key) - 1])
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  const copyLink = async () => {
    onPosition.current?.(time)
    const url = window.location.href
    try {
      await navigator.clipboard.writeText(url)
    } catch {
      // the clipboard may be refused (an unfocused window): the address bar has it anyway
    }
    void message.success(t('qa.player.linkCopied', { time: clockOf(time) }))
  }

  return (
    <div data-testid="waveform-player">
      {props.interrupted && (
        <Alert type="warning" showIcon title={t('qa.player.interrupted')} style={{ marginBottom: 8 }} />
      )}
      <div style={{ display: 'flex', gap: 8 }}>
        <div
          style={{
            width: 96,
            display: 'flex',
            flexDirection: 'column',
            justifyContent: 'space-around',
            fontSize: 12,
            color: '#595959',
            paddingBottom: 18
          }}
        >
          <span style={{ color: OPERATOR.wave }}>{t('qa.player.operatorLane')}</span>
          <span style={{ color: CUSTOMER.wave }}>{t('qa.player.customerLane')}</span>
        </div>
        <div ref={box} style={{ flex: 1, minWidth: 0 }} data-testid="waveform" />
      </div>
      <Space wrap style={{ marginTop: 8 }}>
        <Tooltip title={t('qa.player.back5')}>
          <Button
            {...keepFocus}
            icon={<StepBackwardOutlined />}
            onClick={() => skip(-5)}
            aria-label={t('qa.player.back5')}
          />
        </Tooltip>
        <Button
          {...keepFocus}
          type="primary"
          icon={playing ? <PauseOutlined /> : <CaretRightOutlined />}
          onClick={toggle}
          data-testid="play"
        >
          {playing ? t('qa.player.pause') : t('qa.player.play')}
        </Button>
        <Tooltip title={t('qa.player.fwd5')}>
          <Button
            {...keepFocus}
            icon={<StepForwardOutlined />}
            onClick={() => skip(5)}
            aria-label={t('qa.player.fwd5')}
          />
        </Tooltip>
        <Typography.Text code data-testid="player-time">
          {clockOf(time)} / {clockOf(props.durationMs / 1000)}
        </Typography.Text>
        <span>{t('qa.player.speed')}</span>
        <Segmented
          size="small"
          value={speed}
          onChange={(v) => rate(Number(v))}
          options={SPEEDS.map((s) => ({ label: `${s}×`, value: s }))}
        />
        {props.onSelect && (
          <Button
            icon={<TagOutlined />}
            onClick={() =>
              props.onSelect?.(Math.round(time * 1000), Math.round(Math.min(props.durationMs / 1000, time + 5) * 1000))
            }
          >
            {t('qa.player.mark')}
          </Button>
        )}
        <Tooltip title={t('qa.player.copyLink')}>
          <Button icon={<LinkOutlined />} onClick={copyLink} aria-label={t('qa.player.copyLink')} />
        </Tooltip>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('qa.player.keys')}
        </Typography.Text>
      </Space>
    </div>
  )
}
