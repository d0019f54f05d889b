import { Repo } from '../db/repo'

/** Monitoring sessions, and what starting one needs to know about the operator and their call. */
export class MonitorRepo extends Repo {
  operator(id: number): { id: number; display_name: string; role: string; disabled: number } | undefined {
    return this.one('SELECT id, display_name, role, disabled FROM users WHERE id = ?', id)
  }

  /** The operator's call in progress: the latest one not ended, started in the last hours. */
  currentCall(operatorId: number, since: string): { id: number; line: string } | undefined {
    return this.one(
      `SELECT id, line FROM calls WHERE operator_id = ? AND ended_at IS NULL AND started_at >= ?
       ORDER BY id DESC LIMIT 1`,
      operatorId,
      since
    )
  }

  callOpen(callId: number): boolean {
    return this.value('SELECT 1 FROM calls WHERE id = ? AND ended_at IS NULL', callId) !== undefined
  }

  add(s: { supervisorId: number; operatorId: number; callId: number; modes: string; at: string }): number {
    return this.insert(
      `INSERT INTO monitor_sessions (supervisor_id, operator_id, call_id, modes, started_at)
       VALUES (@supervisorId, @operatorId, @callId, @modes, @at)`,
      s
    )
  }

  setModes(id: number, modes: string): void {
    this.run('UPDATE monitor_sessions SET modes = ? WHERE id = ?', modes, id)
  }

  end(id: number, at: string, reason: string): void {
    this.run(
      'UPDATE monitor_sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL',
      at,
      reason,
      id
    )
  }

  /** Sessions a stopped hub left open: they ended with it. */
  endAllOpen(at: string): number {
    return this.run("UPDATE monitor_sessions SET ended_at = ?, end_reason = 'hubStopped' WHERE ended_at IS NULL", at)
      .changes
  }
}
