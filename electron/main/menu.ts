import type { MenuItemConstructorOptions } from 'electron'
import type { Locale } from '../../shared/contract'
import { translate } from '../../shared/i18n'

/** The application menu in the organisation's language. */
export function menuTemplate(locale: Locale, isMac: boolean, onAbout: () => void): MenuItemConstructorOptions[] {
  const t = (key: string) => translate(locale, `menu.${key}`)
  return [
    ...(isMac
      ? [
          {
            label: t('app'),
            submenu: [
              { label: t('about'), click: onAbout },
              { type: 'separator' as const },
              { role: 'quit' as const, label: t('quit') }
            ]
          }
        ]
      : []),
    {
      label: t('edit'),
      submenu: [
        { role: 'undo', label: t('undo') },
        { role: 'redo', label: t('redo') },
        { type: 'separator' },
        { role: 'cut', label: t('cut') },
        { role: 'copy', label: t('copy') },
        { role: 'paste', label: t('paste') },
        { role: 'selectAll', label: t('selectAll') }
      ]
    },
    {
      label: t('view'),
      submenu: [
        { role: 'reload', label: t('reload') },
        { type: 'separator' },
        { role: 'zoomIn', label: t('zoomIn') },
        { role: 'zoomOut', label: t('zoomOut') },
        { role: 'resetZoom', label: t('resetZoom') },
        { type: 'separator' },
        { role: 'togglefullscreen', label: t('fullscreen') }
      ]
    },
    {
      label: t('window'),
      submenu: [
        { role: 'minimize', label: t('minimize') },
        { role: 'close', label: t('close') }
      ]
    },
    {
      label: t('help'),
      submenu: [
        { label: t('about'), click: onAbout },
        ...(isMac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const, label: t('quit') }])
      ]
    }
  ]
}
