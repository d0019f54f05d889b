import { useEffect, useRef, useState } from 'react'
import { Modal, Radio, Space, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { SKIP_REASONS, type SkipReason } from '../../../../shared/contract/enums'

/**
 * 跳过: why the operator passes over this lead (kept with the skip). A key per reason (1–5) and
 * Enter, so that Alt+S stays a keyboard action; the lead goes back behind the others.
 */
export function SkipDialog({
  open,
  onSkip,
  onCancel
}: {
  open: boolean
  onSkip: (reason: SkipReason) => void
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const [reason, setReason] = useState<SkipReason>('not_now')
  const chosen = useRef(reason)
  const skip = useRef(onSkip)
  useEffect(() => {
    chosen.current = reason
    skip.current = onSkip
  })
  useEffect(() => {
    if (!open) return
    setReason('not_now')
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return
      const i = Number(e.key) - 1
      if (e.key === 'Enter') {
        e.preventDefault()
        e.stopPropagation()
        skip.current(chosen.current)
      } else if (i >= 0 && i < SKIP_REASONS.length) {
        e.preventDefault()
        e.stopPropagation()
        setReason(SKIP_REASONS[i])
      }
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [open])
  return (
    <Modal
      open={open}
      title={t('desk.skip.title')}
      okText={t('desk.skip.ok')}
      onOk={() => onSkip(reason)}
      onCancel={onCancel}
      destroyOnHidden
      width={380}
    >
      <Radio.Group value={reason} onChange={(e) => setReason(e.target.value as SkipReason)} data-testid="skip-reasons">
        <Space direction="vertical">
          {SKIP_REASONS.map((r, i) => (
            <Radio key={r} value={r}>
              {t(`desk.skip.reasons.${r}`)}{' '}
              <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                {i + 1}
              </Typography.Text>
            </Radio>
          ))}
        </Space>
      </Radio.Group>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {t('desk.skip.hint')}
      </Typography.Paragraph>
    </Modal>
  )
}
