import { Repo } from '../db/repo'

export interface TeamRow {
  id: number
  name: string
  supervisor_id: number | null
  supervisor_name: string | null
}

/** Teams (班组) of operators and their supervisors. */
export class TeamsRepo extends Repo {
  list(): TeamRow[] {
    return this.all(
      `SELECT t.id, t.name, t.supervisor_id, u.display_name AS supervisor_name FROM teams t
       LEFT JOIN users u ON u.id = t.supervisor_id ORDER BY t.name`
    )
  }

  byId(id: number): TeamRow | undefined {
    return this.one(
      'SELECT t.id, t.name, t.supervisor_id, u.display_name AS supervisor_name FROM teams t LEFT JOIN users u ON u.id = t.supervisor_id WHERE t.id = ?',
      id
    )
  }

  nameTaken(name: string, exceptId: number | null): boolean {
    return this.one('SELECT 1 FROM teams WHERE name = ? AND id IS NOT ?', name, exceptId) !== undefined
  }

  members(teamId: number): number[] {
    return this.column('SELECT id FROM users WHERE team_id = ? ORDER BY display_name', teamId)
  }

  /** Every operator's team. */
  memberships(): { id: number; team_id: number }[] {
    return this.all('SELECT id, team_id FROM users WHERE team_id IS NOT NULL')
  }

  supervisedBy(userId: number): number[] {
    return this.column('SELECT id FROM teams WHERE supervisor_id = ? ORDER BY id', userId)
  }

  user(id: number): { id: number; role: string; disabled: number; team_id: number | null } | undefined {
    return this.one('SELECT id, role, disabled, team_id FROM users WHERE id = ?', id)
  }

  add(name: string, supervisorId: number | null, at: string): number {
    return this.insert('INSERT INTO teams (name, supervisor_id, created_at) VALUES (?, ?, ?)', name, supervisorId, at)
  }

  rename(id: number, name: string): void {
    this.run('UPDATE teams SET name = ? WHERE id = ?', name, id)
  }

  setSupervisor(id: number, supervisorId: number | null): void {
    this.run('UPDATE teams SET supervisor_id = ? WHERE id = ?', supervisorId, id)
  }

  /** The team's operators become exactly these (each leaves the team they were in). */
  setMembers(id: number, memberIds: number[], at: string): void {
    this.run(
      'UPDATE users SET team_id = NULL, updated_at = @at WHERE team_id = @id AND id NOT IN (SELECT value FROM json_each(@members))',
      { id, members: JSON.stringify(memberIds), at }
    )
    this.run('UPDATE users SET team_id = @id, updated_at = @at WHERE id IN (SELECT value FROM json_each(@members))', {
      id,
      members: JSON.stringify(memberIds),
      at
    })
  }

  remove(id: number, at: string): boolean {
    this.run('UPDATE users SET team_id = NULL, updated_at = ? WHERE team_id = ?', at, id)
    return this.run('DELETE FROM teams WHERE id = ?', id).changes === 1
  }

  exists(id: number): boolean {
    return this.one('SELECT 1 FROM teams WHERE id = ?', id) !== undefined
  }

  /** A supervisor who leaves the role no longer leads a team. */
  dropSupervisor(userId: number): void {
    this.run('UPDATE teams SET supervisor_id = NULL WHERE supervisor_id = ?', userId)
  }

  names(includeDisabled: boolean) {
    return this.all<{ id: number; name: string; staffNo: string | null; teamId: number | null; disabled: number }>(
      `SELECT id, display_name AS name, staff_no AS staffNo, team_id AS teamId, disabled FROM users
       WHERE role = 'operator' AND (@all OR disabled = 0) ORDER BY display_name`,
      { all: includeDisabled ? 1 : 0 }
    )
  }
}
