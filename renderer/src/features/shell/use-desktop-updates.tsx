import { useEffect } from 'react'
import { App as AntApp, Button, Progress } from 'antd'
import { useTranslation } from 'react-i18next'
import { useDesktopHub } from './desktop-hub'

type UpdateState =
  | { state: 'idle' | 'checking' }
  | { state: 'downloading'; version: string; percent: number }
  | { state: 'ready'; version: string; waitingForCall: boolean }
  | { state: 'error'; message: string }

/**
 * The desktop's updates from its hub: tells the app which hub this seat uses (a seat on its own data
 * has none), and shows the download and the ready version; “立即重启更新” waits for a call to end.
 * Nothing in a browser (there is no app to update).
 */
export function useDesktopUpdates(): void {
  const { t } = useTranslation()
  const { notification } = AntApp.useApp()
  useDesktopHub()
  useEffect(() => {
    const updates = window.leadline?.updates
    if (!updates) return
    return updates.onState((raw) => {
      const s = raw as UpdateState
      if (s.state === 'downloading')
        notification.info({
          key: 'update',
          message: t('desktop.update.downloading', { version: s.version, percent: s.percent }),
          description: <Progress percent={s.percent} size="small" />,
          duration: 0
        })
      else if (s.state === 'ready')
        notification.success({
          key: 'update',
          message: t('desktop.update.ready', { version: s.version }),
          description: s.waitingForCall ? t('desktop.update.waiting') : undefined,
          actions: s.waitingForCall ? undefined : (
            <Button type="primary" size="small" onClick={() => void updates.install()}>
              {t('desktop.update.restart')}
            </Button>
          ),
          duration: 0
        })
      else notification.destroy('update')
    })
  }, [notification, t])
}

/** The desk says when a call is on, wrap-up included (and that none is when it closes): the app never restarts to update then. */
export function useReportCallActive(active: boolean): void {
  useEffect(() => void window.leadline?.updates?.setCallActive(active), [active])
  useEffect(() => () => void window.leadline?.updates?.setCallActive(false), [])
}
