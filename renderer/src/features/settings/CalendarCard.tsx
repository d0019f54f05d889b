import { useState } from 'react'
import { Alert, App, Button, Card, Input, InputNumber, List, Modal, Space, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { errorText } from '../../api/errors'
import { useMethodMutation, useMethodQuery } from '../../api/queries'
import { formatTime } from '../../ui/format'

type Preview = {
  year: number
  holidays: { name: string; from: string; to: string; days: number }[]
  workdays: { day: string; name: string }[]
}

/**
 * The statutory calendar the windows and deadlines follow: the years it covers, the next holidays;
 * a warning in the last month of its data and past it, and loading the next year's notice.
 */
export function CalendarCard() {
  const { t } = useTranslation()
  const cal = useMethodQuery('system.calendar', {}, ['system.calendar'])
  const [open, setOpen] = useState(false)
  if (!cal.data) return null
  const c = cal.data
  return (
    <Card
      size="small"
      title={t('settings.calendar.title')}
      style={{ marginBottom: 24 }}
      data-testid="calendar-card"
      extra={
        <Button size="small" onClick={() => setOpen(true)} data-testid="calendar-load">
          {t('settings.calendar.load')}
        </Button>
      }
    >
      {!c.covered && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={`${t('settings.calendar.beyond', { last: c.lastYear })} ${t('settings.calendar.beyondLoad')}`}
          data-testid="calendar-beyond"
        />
      )}
      {c.covered && c.endsSoon && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('settings.calendar.endsSoon', { last: c.lastYear })}
          data-testid="calendar-ends-soon"
        />
      )}
      <Typography.Paragraph>
        {t('settings.calendar.covers', { first: c.firstYear, last: c.bundledLastYear })}
      </Typography.Paragraph>
      {c.loaded.map((y) => (
        <Typography.Paragraph key={y.year} data-testid={`calendar-loaded-${y.year}`}>
          {t('settings.calendar.loaded', {
            year: y.year,
            holidays: y.holidays,
            workdays: y.workdays,
            by: y.loadedBy ?? '—',
            at: formatTime(y.loadedAt)
          })}
        </Typography.Paragraph>
      ))}
      {c.upcoming.length > 0 && (
        <Typography.Paragraph type="secondary">
          {t('settings.calendar.upcoming')}
          {t('common.colon')}
          {c.upcoming.map((h) => `${h.name} ${h.day}`).join(t('common.listSeparator'))}
        </Typography.Paragraph>
      )}
      {open && <LoadNotice year={c.lastYear + 1} onClose={() => setOpen(false)} />}
    </Card>
  )
}

/** Paste the notice, read it (a dry run that shows what was understood), then save. */
function LoadNotice({ year: firstYear, onClose }: { year: number; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [year, setYear] = useState(firstYear)
  const [text, setText] = useState('')
  const [preview, setPreview] = useState<Preview | null>(null)
  const load = useMethodMutation('system.loadHolidays', [['system.calendar']])
  const days = preview?.holidays.reduce((n, h) => n + h.days, 0) ?? 0
  const read = () =>
    load.mutate({ year, text, dryRun: true }, { onSuccess: (r) => setPreview(r), onError: () => setPreview(null) })
  const save = () =>
    load.mutate(
      { year, text, dryRun: false },
      {
        onSuccess: () => {
          void message.success(t('settings.calendar.saved', { year }))
          onClose()
        }
      }
    )
  return (
    <Modal
      open
      title={t('settings.calendar.loadTitle')}
      width={680}
      onCancel={onClose}
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={read} loading={load.isPending && !preview} disabled={!text.trim()} data-testid="notice-read">
            {t('settings.calendar.read')}
          </Button>
          <Button
            type="primary"
            onClick={save}
            disabled={!preview}
            loading={load.isPending && !!preview}
            data-testid="notice-save"
          >
            {t('settings.calendar.save')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('settings.calendar.loadHint')}</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space>
          {t('settings.calendar.year')}
          <InputNumber
            value={year}
            min={firstYear}
            max={firstYear + 5}
            onChange={(v) => {
              setYear(v ?? firstYear)
              setPreview(null)
            }}
            data-testid="notice-year"
          />
        </Space>
        <Input.TextArea
          aria-label={t('settings.calendar.text')}
          placeholder={t('settings.calendar.text')}
          value={text}
          rows={9}
          onChange={(e) => {
            setText(e.target.value)
            setPreview(null)
          }}
          data-testid="notice-text"
        />
        {load.error && <Alert type="error" showIcon message={errorText(t, load.error)} data-testid="notice-error" />}
        {preview && (
          <div data-testid="notice-preview">
            <Alert
              type="info"
              showIcon
              message={t('settings.calendar.preview', {
                holidays: preview.holidays.length,
                days,
                workdays: preview.workdays.length
              })}
              style={{ marginBottom: 8 }}
            />
            <List
              size="small"
              dataSource={preview.holidays}
              renderItem={(h) => (
                <List.Item>
                  <Space size="middle">
                    <Typography.Text strong>{h.name}</Typography.Text>
                    {t('settings.calendar.rangeDays', h)}
                  </Space>
                </List.Item>
              )}
            />
            {preview.workdays.length > 0 && (
              <Typography.Paragraph style={{ marginTop: 8 }}>
                {t('settings.calendar.workdaysList')}
                {t('common.colon')}
                {preview.workdays.map((w) => t('settings.calendar.workday', w)).join(t('common.listSeparator'))}
              </Typography.Paragraph>
            )}
          </div>
        )}
      </Space>
    </Modal>
  )
}
