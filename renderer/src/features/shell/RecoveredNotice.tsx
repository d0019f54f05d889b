import { useState } from 'react'
import CloseOutlined from '@ant-design/icons-svg/es/asn/CloseOutlined'
import ExclamationCircleFilled from '@ant-design/icons-svg/es/asn/ExclamationCircleFilled'
import { useTranslation } from 'react-i18next'
import { Icon } from '../../ui/Icon'

/** Why the desktop reopened this page (main adds ?recovered=crashed|hung), taken off the address once read. */
function takeRecovered(): 'crashed' | 'hung' | null {
  const reason = new URLSearchParams(window.location.search).get('recovered')
  if (reason !== 'crashed' && reason !== 'hung') return null
  window.history.replaceState(null, '', window.location.pathname + window.location.hash)
  return reason
}
const recovered = takeRecovered()

/** The desktop reloaded this page after it crashed or hung: said once, on the login page or in the shell, until closed. */
export function RecoveredNotice() {
  const { t } = useTranslation()
  const [reason, setReason] = useState(recovered)
  if (!reason) return null
  return (
    <div className="plain-notice" role="alert">
      <span className="plain-notice-icon">
        <Icon def={ExclamationCircleFilled} />
      </span>
      <div>
        <div className="plain-notice-title">{t(`desktop.recovered.${reason}`)}</div>
        <div>{t('desktop.recovered.kept')}</div>
      </div>
      <button
        type="button"
        className="plain-input-suffix"
        aria-label={t('common.close')}
        onClick={() => setReason(null)}
      >
        <Icon def={CloseOutlined} />
      </button>
    </div>
  )
}
