import { formatTime } from '../../ui/format'
import { Button, Card, Descriptions } from 'antd'
import { FolderOpenOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/ApiProvider'
import { keys, useMethodQuery } from '../../api/queries'

export function AboutPage() {
  const { t } = useTranslation()
  const api = useApi()
  // asked again once logged in: the versions are for logged-in users only
  const { data } = useMethodQuery('system.info', {}, [...keys.systemInfo, 'about'])
  return (
    <Card
      title={t('about.title')}
      style={{ maxWidth: 720 }}
      extra={
        // the desktop only: a browser has no folder of ours to open
        window.leadline?.openLogs && (
          <Button icon={<FolderOpenOutlined />} onClick={() => void window.leadline?.openLogs?.()}>
            {t('about.openLogs')}
          </Button>
        )
      }
    >
      {data && (
        <Descriptions column={1} bordered size="small">
          <Descriptions.Item label={t('about.version')}>{data.appVersion}</Descriptions.Item>
          <Descriptions.Item label={t('about.host')}>
            {t(data.host === 'hub' ? 'about.hostHub' : 'about.hostDesktop')}
          </Descriptions.Item>
          <Descriptions.Item label={t('about.transport')}>
            {api.kind === 'ipc' ? t('about.transportIpc') : t('about.transportWs', { url: api.url })}
          </Descriptions.Item>
          <Descriptions.Item label={t('about.schema')}>{data.schemaVersion}</Descriptions.Item>
          <Descriptions.Item label={t('about.sqlite')}>{data.sqliteVersion}</Descriptions.Item>
          <Descriptions.Item label={t('about.node')}>{data.nodeVersion}</Descriptions.Item>
          <Descriptions.Item label={t('about.serverTime')}>{formatTime(data.serverTime)}</Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  )
}
