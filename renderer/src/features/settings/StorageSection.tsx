import { useState } from 'react'
import {
  Alert,
  App,
  Button,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Radio,
  Space,
  Switch,
  Tag,
  Typography
} from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { StorageCheck, StorageStatus } from '../../../../shared/contract'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { useMethodMutation } from '../../api/queries'
import { centre } from '../../ui/centre-time'

const KEY = ['storage.status']

function mb(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`
}

type FormValues = Omit<StorageStatus, 'secretSet' | 'objectLock'> & { secretKey?: string }

/**
 * 录音存储 (administrators): where finished recordings are archived — the hub's folder, or an
 * S3-compatible store (Ceph, MinIO, 阿里云 OSS, 腾讯云 COS, 华为云 OBS, AWS) — and what waits for it,
 * refreshed every few seconds: the backlog grows while the store is away and drains after.
 */
export function StorageSection() {
  const { t } = useTranslation()
  const api = useApi()
  const qc = useQueryClient()
  const { message } = App.useApp()
  const [form] = Form.useForm<FormValues>()
  const [check, setCheck] = useState<StorageCheck | null>(null)
  const status = useQuery({
    queryKey: KEY,
    queryFn: () => api.invoke('storage.status', {}),
    refetchInterval: 5_000
  })
  const set = useMethodMutation('storage.set', [KEY])
  const run = useMethodMutation('storage.check', [KEY])
  const kind = Form.useWatch('kind', form)
  const s = status.data
  if (!s) return null
  return (
    <div data-testid="storage-section">
      <Typography.Paragraph type="secondary">{t('storage.hint')}</Typography.Paragraph>
      <Descriptions size="small" bordered column={2} style={{ marginBottom: 16 }} data-testid="storage-status">
        <Descriptions.Item label={t('storage.where')}>
          {s.kind === 's3' ? (
            <Space>
              <Tag color="blue">S3</Tag>
              <Typography.Text>{`${s.endpoint} · ${s.bucket}${s.prefix ? `/${s.prefix}` : ''}`}</Typography.Text>
              {s.objectLock && <Tag color="purple">{t('storage.objectLock')}</Tag>}
            </Space>
          ) : (
            <Tag>{t('storage.local')}</Tag>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('storage.localOnly')}>
          <span data-testid="storage-local-only">
            {s.localOnly > 0 ? (
              <Tag color={s.failing ? 'red' : 'blue'}>
                {t('storage.waiting', { n: s.localOnly, size: mb(s.localOnlyBytes) })}
              </Tag>
            ) : (
              <Tag color="green">{s.kind === 's3' ? t('storage.allStored') : '—'}</Tag>
            )}
          </span>
        </Descriptions.Item>
        {s.kind === 's3' && (
          <>
            <Descriptions.Item label={t('storage.stored')}>{s.stored}</Descriptions.Item>
            <Descriptions.Item label={t('storage.cached')}>{mb(s.cachedBytes)}</Descriptions.Item>
            {s.failing > 0 && (
              <Descriptions.Item label={t('storage.failing')} span={2}>
                <Typography.Text type="danger" data-testid="storage-error">
                  {t('storage.failingSince', {
                    n: s.failing,
                    at: s.oldestWaitingAt ? centre.format(s.oldestWaitingAt, 'MM-DD HH:mm') : '—'
                  })}
                  {s.lastError ? ` ${s.lastError}` : ''}
                </Typography.Text>
              </Descriptions.Item>
            )}
            {s.deletesPending > 0 && (
              <Descriptions.Item label={t('storage.deletes')}>{s.deletesPending}</Descriptions.Item>
            )}
          </>
        )}
      </Descriptions>
      <Form<FormValues>
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        initialValues={{ ...s, secretKey: '' }}
        onFinish={(v) =>
          set.mutate(
            {
              kind: v.kind,
              endpoint: v.endpoint ?? '',
              region: v.region ?? 'us-east-1',
              bucket: v.bucket ?? '',
              prefix: v.prefix ?? '',
              pathStyle: !!v.pathStyle,
              accessKey: v.accessKey ?? '',
              secretKey: v.secretKey || undefined,
              seatsReach: !!v.seatsReach,
              graceHours: v.graceHours,
              cacheMb: v.cacheMb
            },
            {
              onSuccess: () => {
                form.setFieldValue('secretKey', '')
                void qc.invalidateQueries({ queryKey: KEY })
                void message.success(t('storage.saved'))
              }
            }
          )
        }
      >
        <Form.Item name="kind" label={t('storage.kind')}>
          <Radio.Group
            options={[
              { value: 'local', label: t('storage.local') },
              { value: 's3', label: t('storage.s3') }
            ]}
            data-testid="storage-kind"
          />
        </Form.Item>
        {kind === 's3' && (
          <>
            <Form.Item
              name="endpoint"
              label={t('storage.endpoint')}
              rules={[{ required: true }]}
              extra={t('storage.endpointHint')}
            >
              <Input placeholder="https://oss-cn-shenzhen.aliyuncs.com" data-testid="storage-endpoint" />
            </Form.Item>
            <Space wrap>
              <Form.Item name="bucket" label={t('storage.bucket')} rules={[{ required: true }]}>
                <Input data-testid="storage-bucket" />
              </Form.Item>
              <Form.Item name="region" label={t('storage.region')}>
                <Input placeholder="us-east-1" />
              </Form.Item>
              <Form.Item name="prefix" label={t('storage.prefix')}>
                <Input placeholder="centre-1" />
              </Form.Item>
            </Space>
            <Space wrap>
              <Form.Item name="accessKey" label="Access Key" rules={[{ required: true }]}>
                <Input data-testid="storage-access-key" />
              </Form.Item>
              <Form.Item name="secretKey" label="Secret Key">
                <Input.Password
                  placeholder={s.secretSet ? t('storage.secretKept') : ''}
                  data-testid="storage-secret-key"
                />
              </Form.Item>
            </Space>
            <Form.Item
              name="pathStyle"
              label={t('storage.pathStyle')}
              valuePropName="checked"
              extra={t('storage.pathStyleHint')}
            >
              <Switch data-testid="storage-path-style" />
            </Form.Item>
            <Form.Item
              name="seatsReach"
              label={t('storage.seatsReach')}
              valuePropName="checked"
              extra={t('storage.seatsReachHint')}
            >
              <Switch />
            </Form.Item>
            <Space wrap>
              <Form.Item name="graceHours" label={t('storage.graceHours')} extra={t('storage.graceHoursHint')}>
                <InputNumber min={0} max={2160} addonAfter={t('storage.hours')} data-testid="storage-grace" />
              </Form.Item>
              <Form.Item name="cacheMb" label={t('storage.cacheMb')} extra={t('storage.cacheMbHint')}>
                <InputNumber min={0} max={10_000_000} addonAfter="MB" />
              </Form.Item>
            </Space>
          </>
        )}
        {set.error && (
          <Alert
            type="error"
            showIcon
            title={errorText(t, set.error)}
            style={{ marginBottom: 12 }}
            data-testid="storage-set-error"
          />
        )}
        <Space>
          <Button type="primary" htmlType="submit" loading={set.isPending} data-testid="storage-save">
            {set.isPending ? t('storage.checking') : t('common.save')}
          </Button>
          {s.kind === 's3' && (
            <Button
              loading={run.isPending}
              onClick={() => run.mutate({}, { onSuccess: (c) => setCheck(c) })}
              data-testid="storage-check"
            >
              {t('storage.check')}
            </Button>
          )}
        </Space>
      </Form>
      {run.error && <Alert type="error" showIcon title={errorText(t, run.error)} style={{ marginTop: 12 }} />}
      {check && (
        <List
          size="small"
          style={{ marginTop: 16, maxWidth: 720 }}
          bordered
          data-testid="storage-check-result"
          dataSource={check.steps}
          renderItem={(x) => (
            <List.Item>
              <Space>
                <Tag color={x.ok ? 'green' : 'red'}>{x.ok ? t('storage.stepOk') : t('storage.stepFailed')}</Tag>
                <Typography.Text strong>{t(`storage.steps.${x.step}`)}</Typography.Text>
                <Typography.Text type="secondary">{x.detail}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </div>
  )
}
