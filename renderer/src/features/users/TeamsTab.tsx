import { useState } from 'react'
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import type { Team, User } from '../../../../shared/contract'
import { useInvalidateOn } from '../../api/ApiProvider'
import { errorText } from '../../api/errors'
import { keys, useMethodMutation, useMethodQuery } from '../../api/queries'

interface Values {
  name: string
  supervisorId: number | null
  memberIds: number[]
}

/** 班组: each team with its supervisor and operators; administrators edit them (an operator is in one team). */
export function TeamsTab({ users, canEdit }: { users: User[]; canEdit: boolean }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const teams = useMethodQuery('teams.list', {}, ['teams.list'])
  useInvalidateOn('users.changed', ['teams.list'])
  const create = useMethodMutation('teams.create', [['teams.list'], keys.usersAll])
  const update = useMethodMutation('teams.update', [['teams.list'], keys.usersAll])
  const remove = useMethodMutation('teams.remove', [['teams.list'], keys.usersAll])
  const [editing, setEditing] = useState<Team | 'new' | null>(null)
  const [form] = Form.useForm<Values>()
  const nameOf = (id: number) => users.find((u) => u.id === id)?.displayName ?? `#${id}`
  const teamOf = (id: number) => teams.data?.teams.find((tm) => tm.memberIds.includes(id))
  const operators = users.filter((u) => u.role === 'operator' && !u.disabled)
  const open = (tm: Team | 'new') => {
    setEditing(tm)
    form.setFieldsValue(
      tm === 'new'
        ? { name: '', supervisorId: null, memberIds: [] }
        : { name: tm.name, supervisorId: tm.supervisorId, memberIds: tm.memberIds }
    )
  }
  const error = create.error ?? update.error
  return (
    <>
      {canEdit && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} style={{ marginBottom: 12 }}>
          {t('teams.add')}
        </Button>
      )}
      <Table<Team>
        rowKey="id"
        size="small"
        data-testid="teams"
        loading={teams.isLoading}
        dataSource={teams.data?.teams ?? []}
        pagination={false}
        columns={[
          { title: t('teams.name'), dataIndex: 'name' },
          { title: t('teams.supervisor'), dataIndex: 'supervisorName', render: (v: string | null) => v ?? '—' },
          {
            title: t('teams.members'),
            dataIndex: 'memberIds',
            render: (ids: number[]) =>
              ids.length ? (
                <Space size={[4, 4]} wrap>
                  {ids.map((id) => (
                    <Tag key={id}>{nameOf(id)}</Tag>
                  ))}
                </Space>
              ) : (
                '—'
              )
          },
          ...(canEdit
            ? [
                {
                  title: t('common.actions'),
                  render: (_: unknown, tm: Team) => (
                    <Space size="small">
                      <Button size="small" onClick={() => open(tm)}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={t('teams.removeConfirm', { name: tm.name })}
                        onConfirm={() =>
                          remove.mutate({ id: tm.id }, { onError: (e) => void message.error(errorText(t, e)) })
                        }
                      >
                        <Button size="small" danger>
                          {t('teams.remove')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  )
                }
              ]
            : [])
        ]}
      />
      <Modal
        title={editing === 'new' ? t('teams.add') : editing ? t('teams.editTitle', { name: editing.name }) : ''}
        open={editing !== null}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending || update.isPending}
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon message={errorText(t, error)} style={{ marginBottom: 12 }} />}
        <Form<Values>
          form={form}
          layout="vertical"
          data-testid="team-form"
          onFinish={(v) => {
            const done = {
              onSuccess: () => {
                setEditing(null)
                void message.success(t('teams.saved'))
              }
            }
            if (editing === 'new') create.mutate(v, done)
            else if (editing) update.mutate({ id: editing.id, ...v }, done)
          }}
        >
          <Form.Item name="name" label={t('teams.name')} rules={[{ required: true, max: 32 }]}>
            <Input placeholder={t('teams.namePlaceholder')} />
          </Form.Item>
          <Form.Item name="supervisorId" label={t('teams.supervisor')}>
            <Select
              allowClear
              options={users
                .filter((u) => u.role === 'supervisor' && !u.disabled)
                .map((u) => ({ value: u.id, label: u.displayName }))}
            />
          </Form.Item>
          <Form.Item name="memberIds" label={t('teams.members')} extra={t('teams.membersHint')}>
            <Select
              mode="multiple"
              optionFilterProp="label"
              options={operators.map((u) => {
                const other = teamOf(u.id)
                const elsewhere = other && (editing === 'new' || other.id !== editing?.id)
                return { value: u.id, label: elsewhere ? `${u.displayName}（${other.name}）` : u.displayName }
              })}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  )
}
