import { useEffect, type ReactNode } from 'react'
import { Alert, App, Button, Form } from 'antd'
import { useTranslation } from 'react-i18next'
import type { Settings } from '../../../../shared/contract'
import { errorText } from '../../api/errors'
import { keys, useMethodMutation, useMethodQuery } from '../../api/queries'

export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/

/** One section of the settings: its own form, saved on its own (only its fields are sent), with its result said. */
export function Section({ name, children }: { name: string; children: ReactNode }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const q = useMethodQuery('settings.get', {}, keys.settings)
  const save = useMethodMutation('settings.update', [keys.settings, keys.systemInfo, ['system.now']])
  const [form] = Form.useForm<Settings>()
  useEffect(() => {
    if (q.data) form.setFieldsValue(q.data)
  }, [q.data, form])
  return (
    <Form<Settings>
      form={form}
      layout="vertical"
      style={{ maxWidth: 640 }}
      data-testid={`settings-${name}`}
      onFinish={(v) => {
        // nested groups are replaced whole by the update: keep what this section does not show
        const patch: Record<string, unknown> = { ...v }
        if (q.data && v.dispatch) patch.dispatch = { ...q.data.dispatch, ...v.dispatch }
        if (q.data && v.followUp) patch.followUp = { ...q.data.followUp, ...v.followUp }
        save.mutate(patch, {
          onSuccess: () => void message.success(t('settings.sectionSaved', { section: t(`settings.sections.${name}`) }))
        })
      }}
    >
      {save.error && <Alert type="error" showIcon message={errorText(t, save.error)} style={{ marginBottom: 16 }} />}
      {children}
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('settings.saveSection', { section: t(`settings.sections.${name}`) })}
      </Button>
    </Form>
  )
}
