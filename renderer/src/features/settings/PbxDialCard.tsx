import { useState } from 'react'
import { Alert, Button, Card, Popconfirm, Space, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { useMethodMutation } from '../../api/queries'

/**
 * How the centre's PBX turns a desk's dial token into the number, and asks whom a customer's return
 * call rings (回拨路由): the hub's addresses and the PBX key
 * (shown on demand, audited; a new key stops the old one at once). With tokens off, a warning: the
 * numbers then go to the seats.
 */
export function PbxDialCard({ tokensOn }: { tokensOn: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const [link, setLink] = useState<{ path: string; inboundPath: string; key: string } | null>(null)
  const show = useMethodMutation('sip.pbxLink', [])
  const origin = api.kind === 'ws' ? window.location.origin : t('settings.pbx.hubAddress')
  const get = (rotate: boolean) => show.mutate({ rotate }, { onSuccess: (r) => setLink(r) })
  return (
    <Card size="small" title={t('settings.pbx.title')} style={{ marginBottom: 24 }} data-testid="pbx-card">
      {!tokensOn && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('settings.pbx.off')}
          data-testid="pbx-tokens-off"
        />
      )}
      <Typography.Paragraph type="secondary">{t('settings.pbx.how')}</Typography.Paragraph>
      {link ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            {t('settings.pbx.url')}
            {t('common.colon')}
            <Typography.Text code copyable data-testid="pbx-url">
              {`${origin}${link.path}<token>?from=<SIP 账号>`}
            </Typography.Text>
          </Typography.Text>
          <Typography.Text>
            {t('settings.pbx.inboundUrl')}
            {t('common.colon')}
            <Typography.Text code copyable data-testid="pbx-inbound-url">
              {`${origin}${link.inboundPath}?from=<主叫号码>&to=<被叫号码>`}
            </Typography.Text>
          </Typography.Text>
          <Typography.Text type="secondary">{t('settings.pbx.inboundHow')}</Typography.Text>
          <Typography.Text>
            {t('settings.pbx.key')}
            {t('common.colon')}
            <Typography.Text code copyable data-testid="pbx-key">
              {`Authorization: Bearer ${link.key}`}
            </Typography.Text>
          </Typography.Text>
        </Space>
      ) : null}
      <Space style={{ marginTop: 12 }}>
        <Button onClick={() => get(false)} loading={show.isPending} data-testid="pbx-show">
          {t('settings.pbx.show')}
        </Button>
        <Popconfirm title={t('settings.pbx.rotateConfirm')} onConfirm={() => get(true)}>
          <Button danger data-testid="pbx-rotate">
            {t('settings.pbx.rotate')}
          </Button>
        </Popconfirm>
      </Space>
      {show.error && <Alert type="error" showIcon style={{ marginTop: 12 }} message={errorText(t, show.error)} />}
    </Card>
  )
}
