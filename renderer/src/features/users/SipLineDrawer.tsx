import { useEffect, useState } from 'react'
import { Alert, App, Button, Drawer, Form, Input, Popconfirm, Space } from 'antd'
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { Output, SipAccount, User } from '../../../../shared/contract'
import { useApi } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { useMethodMutation } from '../../api/queries'

interface IceValues {
  urls: string
  username?: string
  credential?: string
  hasCredential?: boolean
}
export interface LineValues {
  wsUrl: string
  domain: string
  sipUser: string
  displayName: string
  password?: string
  outsidePrefix: string
  iceServers: IceValues[]
}

const splitUrls = (s: string) => s.split(/[\s,，]+/).filter(Boolean)
export const iceOut = (list: IceValues[] = []) =>
  list
    .filter((x) => x.urls?.trim())
    .map((x) => {
      const urls = splitUrls(x.urls)
      return {
        urls: urls.length === 1 ? urls[0] : urls,
        ...(x.username ? { username: x.username } : {}),
        ...(x.credential ? { credential: x.credential } : {})
      }
    })

/** The WebSocket, the domain and the TURN servers: what a floor's lines share. */
export function ServerFields({ prefix = '' }: { prefix?: string }) {
  const { t } = useTranslation()
  return (
    <>
      <Form.Item
        name="wsUrl"
        label={t('sip.wsUrl')}
        extra={t('sip.wsUrlHint')}
        rules={[{ required: true, pattern: /^wss?:\/\/\S+$/, message: t('sip.wsUrlRule') }]}
      >
        <Input placeholder="wss://pbx.centre.local:8089/ws" data-testid={`${prefix}ws-url`} />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item name="domain" label={t('sip.domain')} rules={[{ required: true }]}>
          <Input placeholder="pbx.centre.local" style={{ width: 220 }} />
        </Form.Item>
        <Form.Item
          name="outsidePrefix"
          label={t('sip.outsidePrefix')}
          extra={t('sip.outsidePrefixHint')}
          rules={[{ pattern: /^[0-9*#]{0,4}$/, message: t('sip.outsidePrefixRule') }]}
        >
          <Input style={{ width: 100 }} />
        </Form.Item>
      </Space>
      {/* a block of its own: a bare caption flowed up beside the domain's row */}
      <Form.Item label={t('sip.iceServers')} extra={t('sip.iceHint')}>
        <Form.List name="iceServers">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                // one row: the drawer is 512 px wide
                <Space key={f.key} align="start" size={6}>
                  <Form.Item name={[f.name, 'urls']} rules={[{ required: true, message: t('sip.iceUrlRule') }]}>
                    <Input
                      placeholder="turn:turn.centre.local:3478"
                      style={{ width: 220 }}
                      aria-label={t('sip.iceUrls')}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'username']}>
                    <Input placeholder={t('sip.iceUser')} style={{ width: 100 }} aria-label={t('sip.iceUser')} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {({ getFieldValue }) => (
                      <Form.Item name={[f.name, 'credential']}>
                        <Input.Password
                          autoComplete="new-password"
                          placeholder={
                            getFieldValue(['iceServers', f.name, 'hasCredential'])
                              ? t('sip.credentialKept')
                              : t('sip.iceCredential')
                          }
                          style={{ width: 160 }}
                          aria-label={t('sip.iceCredential')}
                        />
                      </Form.Item>
                    )}
                  </Form.Item>
                  <MinusCircleOutlined
                    onClick={() => remove(f.name)}
                    aria-label={t('sip.removeIce')}
                    style={{ marginTop: 8 }}
                  />
                </Space>
              ))}
              <Button type="dashed" onClick={() => add({ urls: '' })} icon={<PlusOutlined />}>
                {t('sip.addIce')}
              </Button>
            </>
          )}
        </Form.List>
      </Form.Item>
    </>
  )
}

/**
 * An operator's SIP line (administrators): the PBX's WebSocket, domain, extension, password
 * (write-only), TURN servers (credentials write-only) and the outside-line prefix; 测试注册 tries
 * the form's values from the hub and says what happened in words.
 */
export function SipLineDrawer({
  user,
  account,
  defaults,
  onClose
}: {
  user: User | null
  account: SipAccount | null
  defaults: Partial<LineValues>
  onClose: () => void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<LineValues>()
  const save = useMethodMutation('sip.setAccount', [['sip.accounts']])
  const remove = useMethodMutation('sip.removeAccount', [['sip.accounts']])
  const [test, setTest] = useState<Output<'sip.testRegister'> | null>(null)
  const [testing, setTesting] = useState(false)
  const [error, setError] = useState<unknown>(null)

  useEffect(() => {
    if (!user) return
    setTest(null)
    setError(null)
    form.resetFields()
    form.setFieldsValue(
      account
        ? {
            ...account,
            password: '',
            iceServers: account.iceServers.map((x) => ({
              urls: Array.isArray(x.urls) ? x.urls.join(', ') : x.urls,
              username: x.username,
              hasCredential: x.hasCredential
            }))
          }
        : {
            wsUrl: '',
            domain: '',
            outsidePrefix: '',
            iceServers: [],
            ...defaults,
            sipUser: user.staffNo ?? '',
            displayName: user.displayName,
            password: ''
          }
    )
  }, [user, account, defaults, form])

  const runTest = async () => {
    if (!user) return
    setTest(null)
    setError(null)
    setTesting(true)
    try {
      const v = await form.validateFields(['wsUrl', 'domain', 'sipUser'])
      const all = form.getFieldsValue()
      setTest(
        await api.invoke('sip.testRegister', {
          userId: user.id,
          wsUrl: v.wsUrl,
          domain: v.domain,
          sipUser: v.sipUser,
          displayName: all.displayName,
          ...(all.password ? { password: all.password } : {})
        })
      )
    } catch (err) {
      if (!(err && typeof err === 'object' && 'errorFields' in err)) setError(err)
    } finally {
      setTesting(false)
    }
  }

  return (
    <Drawer
      open={user !== null}
      onClose={onClose}
      width={560}
      title={user ? t('sip.lineOf', { name: user.displayName, username: user.username }) : ''}
      destroyOnHidden
    >
      <div data-testid="sip-line-drawer">
        {error !== null && <Alert type="error" showIcon message={errorText(t, error)} style={{ marginBottom: 12 }} />}
        {save.error && <Alert type="error" showIcon message={errorText(t, save.error)} style={{ marginBottom: 12 }} />}
        <Form<LineValues>
          form={form}
          layout="vertical"
          onFinish={(v) =>
            user &&
            save.mutate(
              {
                userId: user.id,
                wsUrl: v.wsUrl,
                domain: v.domain,
                sipUser: v.sipUser,
                displayName: v.displayName ?? '',
                outsidePrefix: v.outsidePrefix ?? '',
                iceServers: iceOut(v.iceServers),
                ...(v.password ? { password: v.password } : {})
              },
              {
                onSuccess: () => {
                  void message.success(t('sip.saved'))
                  onClose()
                }
              }
            )
          }
        >
          <ServerFields />
          <Space wrap align="start">
            <Form.Item name="sipUser" label={t('sip.extension')} rules={[{ required: true }]}>
              <Input style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="displayName" label={t('sip.displayName')}>
              <Input style={{ width: 160 }} />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('sip.password')}
              rules={[{ required: !account, message: t('errors.sipPasswordRequired') }]}
            >
              <Input.Password
                autoComplete="new-password"
                placeholder={account ? t('sip.passwordKept') : ''}
                style={{ width: 180 }}
              />
            </Form.Item>
          </Space>
          {test && (
            <Alert
              type={test.verdict === 'registered' ? 'success' : 'error'}
              showIcon
              message={test.text}
              style={{ marginBottom: 12 }}
              data-testid="sip-test-result"
            />
          )}
          <Space wrap>
            <Button onClick={() => void runTest()} loading={testing} data-testid="sip-test">
              {t('sip.test')}
            </Button>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
            {account && user && (
              <Popconfirm
                title={t('sip.removeConfirm')}
                onConfirm={() =>
                  remove.mutate(
                    { userId: user.id },
                    { onSuccess: () => (void message.success(t('sip.removed')), onClose()) }
                  )
                }
              >
                <Button danger>{t('sip.remove')}</Button>
              </Popconfirm>
            )}
          </Space>
        </Form>
      </div>
    </Drawer>
  )
}
