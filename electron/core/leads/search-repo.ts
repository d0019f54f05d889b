import { Repo } from '../db/repo'
import { OPERATORS_LEADS } from './ownership'
import { toHalfWidthDigits } from '../../../shared/domain/phone'

export interface LeadFilter {
  q?: string
  status?: string[]
  batchId?: number
  districtCode?: string
  phoneProvince?: string
  phoneCity?: string
  ownerId?: number | null
  minAttempts?: number
  maxAttempts?: number
  /** created_at range, ISO dates (inclusive start, exclusive end) */
  createdFrom?: string
  createdTo?: string
  /** Only this operator's own leads (ownership.ts). */
  allocatedOrOwnedBy?: number
}

export interface LeadRow {
  id: number
  phone: string
  phone_kind: string
  name: string | null
  gender: string | null
  birth_date: string | null
  stated_age: number | null
  address: string | null
  district_code: string | null
  phone_province: string | null
  phone_city: string | null
  phone_carrier: string | null
  status: string
  batch_id: number
  owner_id: number | null
  attempts: number
  created_at: string
}

const COLUMNS =
  'l.id, l.phone, l.phone_kind, l.name, l.gender, l.birth_date, l.stated_age, l.address, l.district_code, l.phone_province, l.phone_city, l.phone_carrier, l.status, l.batch_id, l.owner_id, l.attempts, l.created_at'

/** The text a lead is found by: ^name$ (anchors for two-character name searches), phone, address. */
export function ftsText(name: string | null, phone: string, address: string | null): string {
  return `^${name ?? ''}$ ${phone} ${address ?? ''}`
}

/**
 * The pool's search (SQLite FTS5 with the trigram tokenizer: an SQLite-only feature, kept behind this
 * repository) and the index it reads, which catches up after an import in short transactions.
 */
export class LeadSearch extends Repo {
  indexedUpto(): number {
    return this.value<number>('SELECT upto FROM leads_fts_state WHERE id = 1')!
  }

  /**
   * Indexes up to `chunk` leads not yet in the search index, in one short transaction, and says how
   * many it did (0: caught up). Safe to run from several connections: the state is read inside the
   * write transaction.
   */
  indexPending(chunk = 50_000): number {
    return this.transaction(() => {
      const rows = this.all<{ id: number; name: string | null; phone: string; address: string | null }>(
        'SELECT id, name, phone, address FROM leads WHERE id > ? ORDER BY id LIMIT ?',
        this.indexedUpto(),
        chunk
      )
      if (!rows.length) return 0
      for (const r of rows)
        this.run('INSERT INTO leads_fts (rowid, txt) VALUES (?, ?)', r.id, ftsText(r.name, r.phone, r.address))
      this.run('UPDATE leads_fts_state SET upto = ? WHERE id = 1', rows[rows.length - 1].id)
      return rows.length
    }, 'immediate')
  }

  /**
   * Brings the index up to date, a chunk at a time so other writers get their turn in between
   * (`turn`: an import's thread waits for the main thread's event loop before each chunk).
   */
  indexAll(onChunk?: (indexed: number) => void, turn?: () => void): number {
    let total = 0
    for (;;) {
      turn?.()
      const n = this.indexPending(5_000)
      if (n === 0) return total
      total += n
      onChunk?.(total)
    }
  }

  /**
   * Search as people type. Three characters or more go through the trigram index (any part of a
   * name, phone or address, Chinese included); two characters find names starting or ending with
   * them (王芳, 小芳 finds 王小芳); one character finds names by surname.
   * Results come newest first; `beforeId` pages on.
   */
  search(f: LeadFilter, limit: number, beforeId?: number): LeadRow[] {
    // the training campaign's made-up customers are no one's leads
    const where: string[] = ['l.campaign_id NOT IN (SELECT id FROM campaigns WHERE training = 1)']
    const params: Record<string, unknown> = { limit }
    if (f.status?.length) {
      where.push(`l.status IN (${f.status.map((_, i) => `@s${i}`).join(', ')})`)
      f.status.forEach((s, i) => (params[`s${i}`] = s))
    }
    if (f.batchId !== undefined) {
      where.push(
        '(l.batch_id = @batchId OR EXISTS (SELECT 1 FROM lead_batches b WHERE b.lead_id = l.id AND b.batch_id = @batchId))'
      )
      params.batchId = f.batchId
    }
    // Simple comparisons, one column and one value each.
    const simple: [unknown, string][] = [
      [f.districtCode, 'l.district_code = @v'],
      [f.phoneProvince, 'l.phone_province = @v'],
      [f.phoneCity, 'l.phone_city = @v'],
      [f.minAttempts, 'l.attempts >= @v'],
      [f.maxAttempts, 'l.attempts <= @v'],
      [f.createdFrom, 'l.created_at >= @v'],
      [f.createdTo, 'l.created_at < @v']
    ]
    simple.forEach(([value, sql], i) => {
      if (value === undefined || value === '') return
      where.push(sql.replace('@v', `@f${i}`))
      params[`f${i}`] = value
    })
    if (f.ownerId !== undefined) {
      where.push(f.ownerId === null ? 'l.owner_id IS NULL' : 'l.owner_id = @ownerId')
      if (f.ownerId !== null) params.ownerId = f.ownerId
    }
    if (f.allocatedOrOwnedBy !== undefined) {
      // Written as a set so each part uses its index (an OR across tables would scan the pool).
      where.push(`l.id IN (${OPERATORS_LEADS})`)
      params.op = f.allocatedOrOwnedBy
    }
    if (beforeId !== undefined) {
      where.push('l.id < @beforeId')
      params.beforeId = beforeId
    }
    const q = toHalfWidthDigits((f.q ?? '').trim()).replace(/\s+/g, ' ')
    const cond = where.length ? ` AND ${where.join(' AND ')}` : ''
    const chars = [...q].length
    if (!q) return this.all(`SELECT ${COLUMNS} FROM leads l WHERE 1${cond} ORDER BY l.id DESC LIMIT @limit`, params)
    if (chars === 1) {
      // One character: a surname. Newest first; the scan stops at the page size.
      params.q = q
      return this.all(
        `SELECT ${COLUMNS} FROM leads l WHERE substr(l.name, 1, 1) = @q${cond} ORDER BY l.id DESC LIMIT @limit`,
        params
      )
    }
    // Leads past the search index (an import being indexed) are newer than all indexed ones:
    // scan those first, then ask the index for the rest of the page.
    const upto = this.indexedUpto()
    params.upto = upto
    params.q = q
    const tailCond =
      chars === 2
        ? '(substr(l.name, 1, 2) = @q OR substr(l.name, -2) = @q)'
        : '(instr(l.name, @q) OR instr(l.phone, @q) OR instr(l.address, @q))'
    const tail = this.all<LeadRow>(
      `SELECT ${COLUMNS} FROM leads l WHERE l.id > @upto AND ${tailCond}${cond} ORDER BY l.id DESC LIMIT @limit`,
      params
    )
    if (tail.length >= limit) return tail
    const phrase = (s: string) => `"${s.replace(/"/g, '""')}"`
    // Two characters cannot make a trigram on their own; with the name's anchors they can:
    // ^王芳 finds names starting 王芳, 小芳$ names ending 小芳.
    params.match = chars === 2 ? `${phrase('^' + q)} OR ${phrase(q + '$')}` : phrase(q)
    params.limit = limit - tail.length
    const indexed = this.all<LeadRow>(
      `SELECT ${COLUMNS} FROM leads_fts f JOIN leads l ON l.id = f.rowid WHERE leads_fts MATCH @match AND f.rowid <= @upto${cond} ORDER BY f.rowid DESC LIMIT @limit`,
      params
    )
    return [...tail, ...indexed]
  }
}
