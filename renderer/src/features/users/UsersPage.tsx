import { formatTime } from '../../ui/format'
import { useMemo, useRef, useState } from 'react'
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tabs, Tag } from 'antd'
import { PhoneOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { Role, User } from '../../../../shared/contract'
import { ROLES } from '../../../../shared/contract/enums'
import { useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { keys, useMethodMutation, useMethodQuery } from '../../api/queries'
import { useCurrentUser } from '../auth/AuthProvider'
import { centre } from '../../ui/centre-time'
import { SipImportModal } from './SipImportModal'
import { SipLineDrawer, type LineValues } from './SipLineDrawer'
import { UserEditDrawer } from './UserEditDrawer'
import { TeamsTab } from './TeamsTab'
import { CoverageTab } from './CoverageTab'
import { DistrictSelect } from '../../ui/DistrictSelect'

interface NewUserValues {
  username: string
  displayName: string
  role: Role
  password: string
  staffNo?: string
  districtCode?: string
}

/** Users: administrators manage them; supervisors see the team. */
export function UsersPage() {
  const { t } = useTranslation()
  const { message, modal } = App.useApp()
  const me = useCurrentUser()
  const canEdit = me.role === 'admin'
  const users = useMethodQuery('users.list', { includeDisabled: true }, keys.users({ includeDisabled: true }))
  const districts = useMethodQuery('districts.list', {}, keys.districts)
  const create = useMethodMutation('users.create', [keys.usersAll])
  const creating = useRef(false)
  const update = useMethodMutation('users.update', [keys.usersAll])
  const unlock = useMethodMutation('users.unlock', [keys.usersAll])
  const reset = useMethodMutation('users.resetPassword', [keys.usersAll])
  useInvalidateOn('users.changed', keys.usersAll)
  const [open, setOpen] = useState(false)
  const lines = useMethodQuery('sip.accounts', {}, ['sip.accounts'], canEdit)
  const [lineFor, setLineFor] = useState<User | null>(null)
  const [importing, setImporting] = useState(false)
  const [editing, setEditing] = useState<User | null>(null)
  const [tab, setTab] = useState('users')
  const teams = useMethodQuery('teams.list', {}, ['teams.list'])
  const teamName = (id: number | null) => teams.data?.teams.find((tm) => tm.id === id)?.name ?? ''
  const lineOf = (id: number) => lines.data?.find((a) => a.userId === id) ?? null
  // a new line starts from the server most lines use: a floor is set up in minutes
  const lineDefaults = useMemo<Partial<LineValues>>(() => {
    const common = lines.data?.[0]
    return common ? { wsUrl: common.wsUrl, domain: common.domain, outsidePrefix: common.outsidePrefix } : {}
  }, [lines.data])
  const [form] = Form.useForm<NewUserValues>()
  const role = Form.useWatch('role', form)
  const districtName = (code: string | null) => districts.data?.find((d) => d.code === code)?.name ?? code ?? ''
  const fail = (err: unknown) => void message.error(errorText(t, err))

  const askNewPassword = (u: User) => {
    let value = ''
    modal.confirm({
      title: `${t('users.resetPassword')}: ${u.username}`,
      content: (
        <Input.Password autoFocus placeholder={t('setup.passwordRule')} onChange={(e) => (value = e.target.value)} />
      ),
      onOk: () =>
        reset
          .mutateAsync({ id: u.id, password: value })
          .then(() => void message.success(t('users.passwordReset')), fail)
    })
  }

  const table = (
    <Table<User>
      rowKey="id"
      size="small"
      loading={users.isLoading}
      dataSource={users.data ?? []}
      pagination={{ pageSize: 50 }}
      columns={[
        { title: t('users.username'), dataIndex: 'username' },
        { title: t('users.displayName'), dataIndex: 'displayName' },
        {
          title: t('users.role'),
          dataIndex: 'role',
          filters: ROLES.map((r) => ({ text: t(`roles.${r}`), value: r })),
          onFilter: (v, r) => r.role === v,
          render: (r: Role) => <Tag>{t(`roles.${r}`)}</Tag>
        },
        { title: t('users.staffNo'), dataIndex: 'staffNo' },
        { title: t('users.district'), dataIndex: 'districtCode', render: (c: string | null) => districtName(c) },
        {
          title: t('teams.team'),
          dataIndex: 'teamId',
          filters: (teams.data?.teams ?? []).map((tm) => ({ text: tm.name, value: tm.id })),
          onFilter: (v, u) => u.teamId === v,
          render: (id: number | null) => teamName(id)
        },
        {
          title: t('users.status'),
          render: (_, u) =>
            u.disabled ? (
              <Tag color="default">{t('users.disabled')}</Tag>
            ) : u.lockedUntil && new Date(u.lockedUntil) > centre.now() ? (
              <Tag color="red">{t('users.locked')}</Tag>
            ) : (
              <Tag color="green">{t('users.active')}</Tag>
            )
        },
        { title: t('users.lastLogin'), dataIndex: 'lastLoginAt', render: (v: string | null) => formatTime(v) },
        ...(canEdit
          ? [
              {
                title: t('sip.line'),
                key: 'line',
                render: (_: unknown, u: User) => {
                  const a = lineOf(u.id)
                  return (
                    <Button
                      size="small"
                      type={a ? 'default' : 'dashed'}
                      icon={<PhoneOutlined />}
                      onClick={() => setLineFor(u)}
                      data-testid={`sip-line-${u.username}`}
                    >
                      {a ? a.sipUser : t('sip.setUp')}
                    </Button>
                  )
                }
              }
            ]
          : []),
        ...(canEdit
          ? [
              {
                title: t('common.actions'),
                render: (_: unknown, u: User) => (
                  <Space size="small">
                    <Button size="small" onClick={() => setEditing(u)} data-testid={`edit-${u.username}`}>
                      {t('common.edit')}
                    </Button>
                    <Button size="small" onClick={() => askNewPassword(u)}>
                      {t('users.resetPassword')}
                    </Button>
                    {u.lockedUntil && (
                      <Button size="small" onClick={() => unlock.mutate({ id: u.id }, { onError: fail })}>
                        {t('users.unlock')}
                      </Button>
                    )}
                    {u.disabled ? (
                      <Button
                        size="small"
                        onClick={() => update.mutate({ id: u.id, disabled: false }, { onError: fail })}
                      >
                        {t('users.enable')}
                      </Button>
                    ) : (
                      // 停用 logs the user out at once: asked first
                      <Popconfirm
                        title={t('users.disableConfirm', { name: u.displayName })}
                        okText={t('users.disable')}
                        okButtonProps={{ danger: true }}
                        cancelText={t('common.cancel')}
                        onConfirm={() => update.mutate({ id: u.id, disabled: true }, { onError: fail })}
                      >
                        <Button size="small" danger>
                          {t('users.disable')}
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                )
              }
            ]
          : [])
      ]}
    />
  )

  return (
    <Card
      title={t('users.title')}
      extra={
        canEdit &&
        tab === 'users' && (
          <Space>
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
              {t('sip.importTitle')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
              {t('users.add')}
            </Button>
          </Space>
        )
      }
    >
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'users', label: t('users.tabs.users'), children: table },
          {
            key: 'teams',
            label: t('users.tabs.teams'),
            children: <TeamsTab users={users.data ?? []} canEdit={canEdit} />
          },
          { key: 'coverage', label: t('users.tabs.coverage'), children: <CoverageTab canEdit={canEdit} /> }
        ]}
      />
      <UserEditDrawer user={editing} onClose={() => setEditing(null)} />
      <SipLineDrawer
        user={lineFor}
        account={lineFor ? lineOf(lineFor.id) : null}
        defaults={lineDefaults}
        onClose={() => setLineFor(null)}
      />
      <SipImportModal open={importing} defaults={lineDefaults} onClose={() => setImporting(false)} />
      <Modal
        title={t('users.add')}
        open={open}
        onCancel={() => setOpen(false)}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        {create.error && (
          <Alert type="error" showIcon message={errorText(t, create.error)} style={{ marginBottom: 12 }} />
        )}
        <Form<NewUserValues>
          form={form}
          layout="vertical"
          onFinish={(v) => {
            // a double click on 新建 creates the user once
            if (creating.current) return
            creating.current = true
            create.mutate(v, {
              onSuccess: () => {
                setOpen(false)
                form.resetFields()
                void message.success(t('users.created'))
              },
              onSettled: () => {
                creating.current = false
              }
            })
          }}
        >
          <Form.Item
            name="username"
            label={t('users.username')}
            rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{2,32}$/, message: t('users.usernameRule') }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            />
          </Form.Item>
          <Form.Item name="staffNo" label={t('users.staffNo')}>
            <Input />
          </Form.Item>
          <Form.Item
            name="districtCode"
            label={t('users.district')}
            rules={[{ required: role === 'leader' || role === 'field_agent', message: t('errors.districtRequired') }]}
          >
            <DistrictSelect allowClear />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, min: 8, message: t('setup.passwordRule') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  )
}
