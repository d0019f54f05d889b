import { useEffect } from 'react'
import { Alert, App, Button, Drawer, Form, Input, Select, Space, Switch } from 'antd'
import { useTranslation } from 'react-i18next'
import type { Role, User } from '../../../../shared/contract'
import { ROLES } from '../../../../shared/contract/enums'
import { errorText } from '../../api/errors'
import { keys, useMethodMutation, useMethodQuery } from '../../api/queries'
import { DistrictSelect } from '../../ui/DistrictSelect'

interface Values {
  displayName: string
  role: Role
  staffNo: string
  districtCode: string | null
  teamId: number | null
  disabled: boolean
}

/** 编辑用户: role, name, 工号, district (leaders and field agents), team (operators), disabled — checked again in core. */
export function UserEditDrawer({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const role = Form.useWatch('role', form)
  const teams = useMethodQuery('teams.list', {}, ['teams.list'])
  const update = useMethodMutation('users.update', [keys.usersAll, ['teams.list']])
  useEffect(() => {
    if (user)
      form.setFieldsValue({
        displayName: user.displayName,
        role: user.role,
        staffNo: user.staffNo ?? '',
        districtCode: user.districtCode,
        teamId: user.teamId,
        disabled: user.disabled
      })
  }, [user, form])
  const districtRole = role === 'leader' || role === 'field_agent'
  return (
    <Drawer
      title={user ? t('users.edit.title', { name: user.username }) : ''}
      open={!!user}
      onClose={onClose}
      width={440}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={update.isPending} onClick={() => form.submit()} data-testid="user-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {update.error && (
        <Alert type="error" showIcon message={errorText(t, update.error)} style={{ marginBottom: 12 }} />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        data-testid="user-edit"
        onFinish={(v) =>
          user &&
          update.mutate(
            {
              id: user.id,
              displayName: v.displayName,
              role: v.role,
              staffNo: v.staffNo.trim() ? v.staffNo.trim() : null,
              districtCode: districtRole ? v.districtCode : null,
              teamId: v.role === 'operator' ? (v.teamId ?? null) : null,
              disabled: v.disabled
            },
            {
              onSuccess: () => {
                void message.success(t('users.edit.saved'))
                onClose()
              }
            }
          )
        }
      >
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]} extra={t('users.edit.roleHint')}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
        <Form.Item name="staffNo" label={t('users.staffNo')} rules={[{ pattern: /^[A-Za-z0-9-]{0,16}$/ }]}>
          <Input />
        </Form.Item>
        {districtRole && (
          <Form.Item
            name="districtCode"
            label={t('users.district')}
            rules={[{ required: true, message: t('errors.districtRequired') }]}
          >
            <DistrictSelect />
          </Form.Item>
        )}
        {role === 'operator' && (
          <Form.Item name="teamId" label={t('teams.team')}>
            <Select
              allowClear
              placeholder={t('teams.none')}
              options={(teams.data?.teams ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
            />
          </Form.Item>
        )}
        <Form.Item
          name="disabled"
          label={t('users.disabled')}
          valuePropName="checked"
          extra={t('users.edit.disabledHint')}
        >
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  )
}
