import { useEffect, useRef } from 'react'
import { Modal, Table, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { typing } from '../../ui/keys'

/** Every call action has a key: Alt+letter anywhere, or the bare letter when not typing in a field. */
export const SHORTCUTS = [
  { action: 'next', key: 'n' },
  { action: 'dial', key: 'd' },
  { action: 'hangup', key: 'h' },
  { action: 'mute', key: 'm' },
  { action: 'hold', key: 'p' },
  { action: 'skip', key: 's' },
  { action: 'answer', key: 'a' },
  { action: 'tick', key: 't' },
  { action: 'stopAuto', key: 'x' }
] as const
export type ShortcutAction = (typeof SHORTCUTS)[number]['action'] | 'save' | 'help' | `outcome:${string}`

export function keyLabel(key: string): string {
  return `Alt+${key.toUpperCase()}`
}

/**
 * The desk's keyboard: Alt+N next lead, Alt+D dial, Alt+H hang up, Alt+M mute, Alt+P hold,
 * Alt+S skip, Alt+A answer, Alt+T tick the next required script step, Alt+X stop the
 * progressive countdown, Alt+0–9 pick an outcome, Ctrl+Enter save the outcome, F1 or ? help.
 */
export function useDeskShortcuts(handler: (a: ShortcutAction) => void): void {
  const ref = useRef(handler)
  useEffect(() => {
    ref.current = handler
  })
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const inField = typing(e.target)
      if (e.key === 'F1' || (e.key === '?' && !inField)) {
        e.preventDefault()
        ref.current('help')
        return
      }
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault()
        ref.current('save')
        return
      }
      if (e.ctrlKey || e.metaKey) return
      const bare = !e.altKey && !e.shiftKey && !inField
      if (!e.altKey && !bare) return
      // e.code keeps Alt+letter working on layouts where Alt changes e.key (macOS).
      const k =
        /^Key([A-Z])$/.exec(e.code)?.[1]?.toLowerCase() ?? /^Digit(\d)$/.exec(e.code)?.[1] ?? e.key.toLowerCase()
      if (/^\d$/.test(k) && e.altKey) {
        e.preventDefault()
        ref.current(`outcome:${k}`)
        return
      }
      const s = SHORTCUTS.find((x) => x.key === k)
      if (s) {
        e.preventDefault()
        ref.current(s.action)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}

export function ShortcutHelp({
  open,
  onClose,
  outcomes
}: {
  open: boolean
  onClose: () => void
  outcomes: { hotkey: string | null; label: string }[]
}) {
  const { t } = useTranslation()
  const rows = [
    ...SHORTCUTS.map((s) => ({ key: keyLabel(s.key), what: t(`desk.actions.${s.action}`) })),
    ...outcomes
      .filter((o) => o.hotkey)
      .map((o) => ({ key: keyLabel(o.hotkey!), what: `${t('desk.outcome.title')}${t('common.colon')}${o.label}` })),
    { key: 'Ctrl+Enter', what: t('desk.actions.save') },
    { key: 'F1 / ?', what: t('desk.actions.help') }
  ]
  return (
    <Modal open={open} onCancel={onClose} onOk={onClose} title={t('desk.shortcutsTitle')} footer={null} width={520}>
      <Typography.Paragraph type="secondary">{t('desk.shortcutsHint')}</Typography.Paragraph>
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={rows}
        data-testid="shortcut-help"
        columns={[
          {
            title: t('desk.key'),
            dataIndex: 'key',
            width: 140,
            render: (k: string) => <Typography.Text keyboard>{k}</Typography.Text>
          },
          { title: t('desk.action'), dataIndex: 'what' }
        ]}
      />
    </Modal>
  )
}
