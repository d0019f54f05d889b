import { useState } from 'react'
import { Button, Input, Modal, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/ApiProvider'
import { useMethodQuery } from '../../api/queries'
import { useCurrentUser } from '../auth/AuthProvider'

/**
 * A lead's number as the role may see it (masked: 138****5678), with 查看完整号码 for a role the
 * centre lets unmask (系统设置 → 可查看完整号码的角色): a reason is asked, core checks the role and writes
 * the audit log, and only then is the full number shown here.
 */
export function UnmaskedNumber({
  leadId,
  phone,
  onError,
  testId = 'lead-phone'
}: {
  leadId: number | null
  phone: string
  onError: (err: unknown) => void
  testId?: string
}) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useCurrentUser()
  const settings = useMethodQuery('settings.get', {}, ['settings.get'])
  const mayUnmask = settings.data?.unmaskRoles.includes(me.role) ?? false
  const [asking, setAsking] = useState(false)
  const [reason, setReason] = useState('')
  const [clear, setClear] = useState<{ leadId: number; phone: string } | null>(null)
  const shown = clear && clear.leadId === leadId ? clear.phone : null
  return (
    <>
      <Typography.Text data-testid={testId}>{shown ?? phone}</Typography.Text>
      {mayUnmask && leadId !== null && !shown && phone.includes('*') && (
        <Button size="small" type="link" onClick={() => setAsking(true)} data-testid="unmask">
          {t('desk.card.unmask')}
        </Button>
      )}
      <Modal
        open={asking}
        title={t('desk.card.unmask')}
        okButtonProps={{ disabled: reason.trim().length < 2 }}
        onCancel={() => setAsking(false)}
        onOk={() =>
          void api
            .invoke('desk.unmask', { leadId: leadId!, reason: reason.trim() })
            .then((r) => (setClear({ leadId: leadId!, phone: r.phone }), setAsking(false), setReason('')))
            .catch((err: unknown) => (onError(err), setAsking(false)))
        }
      >
        <Typography.Paragraph type="secondary">{t('desk.card.unmaskHint')}</Typography.Paragraph>
        <Input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={200}
          placeholder={t('desk.card.unmaskReason')}
          aria-label={t('desk.card.unmaskReason')}
        />
      </Modal>
    </>
  )
}
