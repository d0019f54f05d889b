import type Database from 'better-sqlite3'
import type { AuditEntry } from '../../../shared/contract'
import type { Clock } from '../clock'

export interface AuditWrite {
  userId: number | null
  username: string | null
  action: string
  entity?: string
  entityId?: string | number
  details?: Record<string, unknown>
  source: string
}

interface Row {
  id: number
  at: string
  user_id: number | null
  username: string | null
  action: string
  entity: string | null
  entity_id: string | null
  details: string | null
  source: string
  entity_name: string | null
}

/** The name of what an entry is about, where it has one (a user, a campaign, a team), as it is now. */
const ENTITY_NAME = `CASE a.entity
    WHEN 'user' THEN (SELECT display_name || '（' || username || '）' FROM users WHERE id = CAST(a.entity_id AS INTEGER))
    WHEN 'campaign' THEN (SELECT name FROM campaigns WHERE id = CAST(a.entity_id AS INTEGER))
    WHEN 'team' THEN (SELECT name FROM teams WHERE id = CAST(a.entity_id AS INTEGER))
  END`

export class AuditRepo {
  private insert: Database.Statement
  private count: Database.Statement<[], { n: number }>

  constructor(
    private db: Database.Database,
    private clock: Clock
  ) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, details, source)
       VALUES (@at, @userId, @username, @action, @entity, @entityId, @details, @source)`
    )
    this.count = db.prepare('SELECT count(*) AS n FROM audit_log')
  }

  write(e: AuditWrite): void {
    this.insert.run({
      at: this.clock.now().toISOString(),
      // the system (the command line, the timers) is nobody: no user id
      userId: e.userId !== null && e.userId > 0 ? e.userId : null,
      username: e.username,
      action: e.action,
      entity: e.entity ?? null,
      entityId: e.entityId === undefined ? null : String(e.entityId),
      details: e.details ? JSON.stringify(e.details) : null,
      source: e.source
    })
  }

  list(q: { action?: string; userId?: number; beforeId?: number; limit: number }): AuditEntry[] {
    const where: string[] = []
    const params: Record<string, unknown> = { limit: q.limit }
    if (q.action) {
      where.push('action = @action')
      params.action = q.action
    }
    if (q.userId) {
      where.push('user_id = @userId')
      params.userId = q.userId
    }
    if (q.beforeId) {
      where.push('id < @beforeId')
      params.beforeId = q.beforeId
    }
    const sql = `SELECT a.*, ${ENTITY_NAME} AS entity_name FROM audit_log a ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT @limit`
    return (this.db.prepare(sql).all(params) as Row[]).map((r) => ({
      id: r.id,
      at: r.at,
      userId: r.user_id,
      username: r.username,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      entityName: r.entity_name,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
      source: r.source
    }))
  }

  total(): number {
    return this.count.get()!.n
  }
}
