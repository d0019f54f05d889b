import { useCallback } from 'react'
import { App } from 'antd'
import { useTranslation } from 'react-i18next'
import type { EventPayload } from '../../../shared/contract'
import { useApiEvent } from '../api/ApiProvider'

/** 外显号码 taken out of use by their health: supervisors and administrators are told wherever they are. */
export function NumberAlerts() {
  const { t } = useTranslation()
  const { notification } = App.useApp()
  const on = useCallback(
    (p: EventPayload<'numbers.suspended'>) =>
      notification.warning({ message: t('numbers.suspendedNotice', p), duration: 0 }),
    [notification, t]
  )
  useApiEvent('numbers.suspended', on)
  return null
}
