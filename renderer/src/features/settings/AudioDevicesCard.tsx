import { useEffect, useRef, useState } from 'react'
import { Button, Card, Form, Progress, Select, Space, Typography } from 'antd'
import { SoundOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import { chooseInput, chooseOutput, chosenInput, chosenOutput, micConstraints, routeToSpeaker } from '../phone/devices'
import { InsecureSeat } from '../../ui/InsecureSeat'

/** Microphone and speaker for calls, with a test tone and a live microphone level. */
export function AudioDevicesCard() {
  // no microphone for a page on plain http from another machine: say so instead of an empty list
  if (!window.isSecureContext) return <InsecureSeat compact />
  return <Devices />
}

function Devices() {
  const { t } = useTranslation()
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([])
  const [input, setInput] = useState(chosenInput() ?? '')
  const [output, setOutput] = useState(chosenOutput() ?? '')
  const [level, setLevel] = useState<number | null>(null)
  // The highest level since the test began: a short word shows even between two glances.
  const [peakHold, setPeakHold] = useState(0)
  const stopMeter = useRef<(() => void) | null>(null)

  const refresh = () => void navigator.mediaDevices?.enumerateDevices().then(setDevices)
  useEffect(() => {
    refresh()
    navigator.mediaDevices?.addEventListener('devicechange', refresh)
    return () => {
      navigator.mediaDevices?.removeEventListener('devicechange', refresh)
      stopMeter.current?.()
    }
  }, [])

  const meter = async () => {
    if (stopMeter.current) {
      stopMeter.current()
      stopMeter.current = null
      setLevel(null)
      return
    }
    const stream = await navigator.mediaDevices.getUserMedia({ audio: micConstraints() })
    refresh() // labels appear once the microphone is allowed
    const ctx = new AudioContext()
    await ctx.resume()
    const analyser = ctx.createAnalyser()
    analyser.fftSize = 1024
    ctx.createMediaStreamSource(stream).connect(analyser)
    const buf = new Float32Array(analyser.fftSize)
    // A timer rather than animation frames: the meter keeps moving when the window is behind others.
    const tick = () => {
      analyser.getFloatTimeDomainData(buf)
      let peak = 0
      for (const v of buf) peak = Math.max(peak, Math.abs(v))
      const l = Math.round(Math.min(1, peak) * 100)
      setLevel(l)
      setPeakHold((p) => Math.max(p, l))
    }
    setPeakHold(0)
    tick()
    const timer = setInterval(tick, 50)
    stopMeter.current = () => {
      clearInterval(timer)
      stream.getTracks().forEach((tr) => tr.stop())
      void ctx.close()
    }
  }

  const testTone = async () => {
    const ctx = new AudioContext()
    const dest = ctx.createMediaStreamDestination()
    const osc = ctx.createOscillator()
    const gain = ctx.createGain()
    osc.frequency.value = 1000
    gain.gain.value = 0.2
    osc.connect(gain).connect(dest)
    const el = new Audio()
    el.srcObject = dest.stream
    await routeToSpeaker(el)
    await el.play().catch(() => {})
    osc.start()
    osc.stop(ctx.currentTime + 1)
    osc.onended = () => {
      el.srcObject = null
      void ctx.close()
    }
  }

  const of = (kind: MediaDeviceKind) => [
    { value: '', label: t('settings.defaultDevice') },
    ...devices
      .filter((d) => d.kind === kind && d.deviceId && d.deviceId !== 'default')
      .map((d) => ({ value: d.deviceId, label: d.label || d.deviceId.slice(0, 8) }))
  ]

  return (
    <Card title={t('settings.audio')}>
      <Form layout="vertical" style={{ maxWidth: 480 }}>
        <Form.Item label={t('settings.microphone')}>
          <Select
            aria-label={t('settings.microphone')}
            value={input}
            options={of('audioinput')}
            onChange={(v) => {
              setInput(v)
              chooseInput(v || null)
            }}
          />
        </Form.Item>
        <Form.Item label={t('settings.speaker')}>
          <Select
            aria-label={t('settings.speaker')}
            value={output}
            options={of('audiooutput')}
            onChange={(v) => {
              setOutput(v)
              chooseOutput(v || null)
            }}
          />
        </Form.Item>
        <Space>
          <Button icon={<SoundOutlined />} onClick={() => void testTone()}>
            {t('settings.testTone')}
          </Button>
          <Button onClick={() => void meter()}>
            {level === null ? t('settings.micTest') : t('settings.micTestStop')}
          </Button>
        </Space>
        {level !== null && (
          <div style={{ marginTop: 12 }}>
            <Typography.Text type="secondary">{t('settings.micLevel')}</Typography.Text>
            <Progress
              percent={level}
              success={{ percent: peakHold }}
              showInfo={false}
              aria-label={t('settings.micLevel')}
              data-testid="mic-level"
              data-level={level}
              data-peak={peakHold}
            />
          </div>
        )}
      </Form>
    </Card>
  )
}
