import { Button, Result } from 'antd'
import { useTranslation } from 'react-i18next'

/** This page's address over https (the hub answers http on the same port with the https one when it has a certificate). */
export function httpsUrl(): string {
  return `https://${location.host}${location.pathname}${location.hash}`
}

/**
 * A page opened over plain http from another machine is not a secure context: the browser gives it
 * no microphone (and no crypto.randomUUID). The desk says so in words instead of failing on the first call.
 */
export function InsecureSeat({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation()
  const url = httpsUrl()
  return (
    <Result
      status="warning"
      data-testid="insecure-seat"
      title={t('desk.insecure.title')}
      subTitle={t('desk.insecure.text', { url })}
      style={compact ? { padding: 16 } : undefined}
      extra={
        <Button type="primary" href={url}>
          {t('desk.insecure.open')}
        </Button>
      }
    />
  )
}
