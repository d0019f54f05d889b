import { Card, Table, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import type { AuditEntry } from '../../../../shared/contract'
import { keys, useMethodQuery } from '../../api/queries'
import { formatTime } from '../../ui/format'

type Words = Record<string, string>

const ROLE_FIELDS = new Set(['role', 'clearRoles', 'unmaskRoles'])
/** Values that are identifiers (a method of the API): shown as code, as they are. */
const CODE_FIELDS = new Set(['method'])

/** A detail's value in words: yes/no, roles, lists, nested settings as "key: value". */
function valueText(v: unknown, t: TFunction, fields: Words, key = ''): string {
  if (v === null || v === undefined || v === '') return '—'
  if (typeof v === 'boolean') return v ? t('auditLog.yes') : t('auditLog.no')
  if (Array.isArray(v)) return v.map((x) => valueText(x, t, fields, key)).join('、')
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${fields[k] ?? k}${t('common.colon')}${valueText(x, t, fields, k)}`)
      .join('；')
  if (ROLE_FIELDS.has(key) && typeof v === 'string') return t(`roles.${v}`, { defaultValue: v })
  return String(v)
}

function Details({ details, t, fields }: { details: Record<string, unknown>; t: TFunction; fields: Words }) {
  return (
    <>
      {Object.entries(details).map(([k, v], i) => (
        <span key={k}>
          {i > 0 && '；'}
          {fields[k] ?? k}
          {t('common.colon')}
          {CODE_FIELDS.has(k) && typeof v === 'string' ? (
            <Typography.Text code>{v}</Typography.Text>
          ) : (
            valueText(v, t, fields, k)
          )}
        </span>
      ))}
    </>
  )
}

/** 审计日志: who did what to which object, in words; the raw record one click away. */
export function AuditPage() {
  const { t } = useTranslation()
  const q = useMethodQuery('audit.list', { limit: 200 }, keys.audit({ limit: 200 }))
  // action codes contain dots, so they are looked up in the catalog's object rather than as nested keys
  const actions = t('auditLog.actions', { returnObjects: true }) as Words
  const entities = t('auditLog.entities', { returnObjects: true }) as Words
  const fields = t('auditLog.fields', { returnObjects: true }) as Words
  return (
    <Card title={t('audit.title')}>
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data ?? []}
        pagination={{ pageSize: 50 }}
        data-testid="audit-log"
        expandable={{
          expandedRowRender: (r) => (
            <div data-testid="audit-raw">
              <Typography.Text type="secondary">{t('auditLog.raw')}</Typography.Text>
              <Typography.Paragraph code copyable style={{ whiteSpace: 'pre-wrap', marginTop: 4 }}>
                {JSON.stringify(r, null, 2)}
              </Typography.Paragraph>
            </div>
          )
        }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', width: 170, render: (v: string) => formatTime(v) },
          {
            title: t('audit.user'),
            dataIndex: 'username',
            width: 120,
            render: (v: string | null) => v ?? t('auditLog.system')
          },
          { title: t('audit.action'), dataIndex: 'action', width: 220, render: (a: string) => actions[a] ?? a },
          {
            title: t('audit.entity'),
            width: 120,
            render: (_, r) =>
              r.entity
                ? `${entities[r.entity] ?? r.entity}${r.entityName ? ` ${r.entityName}` : r.entityId ? ` #${r.entityId}` : ''}`
                : ''
          },
          {
            title: t('audit.details'),
            dataIndex: 'details',
            render: (d: AuditEntry['details']) => (d ? <Details details={d} t={t} fields={fields} /> : '')
          }
        ]}
      />
    </Card>
  )
}
