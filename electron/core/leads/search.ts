import type Database from 'better-sqlite3'
import { toHalfWidthDigits } from '../../../shared/domain/phone'

export interface LeadFilter {
  q?: string
  status?: string[]
  batchId?: number
  districtCode?: string
  ownerId?: number | null
  minAttempts?: number
  maxAttempts?: number
  /** created_at range, ISO dates (inclusive start, exclusive end) */
  createdFrom?: string
  createdTo?: string
  /** Only leads this operator holds (私海) or was allocated (any day). */
  allocatedOrOwnedBy?: number
}

export interface LeadRow {
  id: number
  phone: string
  phone_kind: string
  name: string | null
  gender: string | null
  birth_date: string | null
  address: string | null
  district_code: string | null
  status: string
  batch_id: number
  owner_id: number | null
  attempts: number
  created_at: string
}

const COLUMNS = 'l.id, l.phone, l.phone_kind, l.name, l.gender, l.birth_date, l.address, l.district_code, l.status, l.batch_id, l.owner_id, l.attempts, l.created_at'

/**
 * Search as people type. Three characters or more go through the trigram index (any part of a
 * name, phone or address, Chinese included); one or two characters search names by their start
 * (王, 王芳) or their last two characters (小芳 finds 王小芳), which the name indexes answer.
 * Results come newest first; `beforeId` pages on.
 */
export function searchLeads(db: Database.Database, f: LeadFilter, limit: number, beforeId?: number): LeadRow[] {
  const where: string[] = []
  const params: Record<string, unknown> = { limit }
  if (f.status?.length) {
    where.push(`l.status IN (${f.status.map((_, i) => `@s${i}`).join(', ')})`)
    f.status.forEach((s, i) => (params[`s${i}`] = s))
  }
  if (f.batchId !== undefined) {
    where.push('(l.batch_id = @batchId OR EXISTS (SELECT 1 FROM lead_batches b WHERE b.lead_id = l.id AND b.batch_id = @batchId))')
    params.batchId = f.batchId
  }
  if (f.districtCode) {
    where.push('l.district_code = @district')
    params.district = f.districtCode
  }
  if (f.ownerId !== undefined) {
    where.push(f.ownerId === null ? 'l.owner_id IS NULL' : 'l.owner_id = @ownerId')
    if (f.ownerId !== null) params.ownerId = f.ownerId
  }
  if (f.allocatedOrOwnedBy !== undefined) {
    where.push('(l.owner_id = @mine OR EXISTS (SELECT 1 FROM allocations a WHERE a.lead_id = l.id AND a.operator_id = @mine))')
    params.mine = f.allocatedOrOwnedBy
  }
  if (f.minAttempts !== undefined) {
    where.push('l.attempts >= @minAttempts')
    params.minAttempts = f.minAttempts
  }
  if (f.maxAttempts !== undefined) {
    where.push('l.attempts <= @maxAttempts')
    params.maxAttempts = f.maxAttempts
  }
  if (f.createdFrom) {
    where.push('l.created_at >= @createdFrom')
    params.createdFrom = f.createdFrom
  }
  if (f.createdTo) {
    where.push('l.created_at < @createdTo')
    params.createdTo = f.createdTo
  }
  if (beforeId !== undefined) {
    where.push('l.id < @beforeId')
    params.beforeId = beforeId
  }
  const q = toHalfWidthDigits((f.q ?? '').trim()).replace(/\s+/g, ' ')
  const cond = where.length ? ` AND ${where.join(' AND ')}` : ''
  let sql: string
  if ([...q].length >= 3) {
    params.match = `"${q.replace(/"/g, '""')}"`
    sql = `SELECT ${COLUMNS} FROM leads_fts f JOIN leads l ON l.id = f.rowid WHERE leads_fts MATCH @match${cond} ORDER BY f.rowid DESC LIMIT @limit`
  } else if (q) {
    params.q = q
    params.qEnd = q + '\uffff'
    sql = `SELECT ${COLUMNS} FROM leads l WHERE ((l.name >= @q AND l.name < @qEnd) OR substr(l.name, -2) = @q)${cond} ORDER BY l.id DESC LIMIT @limit`
  } else {
    sql = `SELECT ${COLUMNS} FROM leads l WHERE 1${cond} ORDER BY l.id DESC LIMIT @limit`
  }
  return db.prepare(sql).all(params) as LeadRow[]
}
