import { Repo } from '../db/repo'

export interface CampaignRow {
  id: number
  name: string
  active: number
  training: number
  created_at: string
  settings: string
}

export interface ScriptRow {
  id: number
  campaign_id: number
  version: number
  title: string
  body: string
  created_at: string
  username: string | null
}

const SCRIPT_SELECT = 'SELECT s.*, u.username FROM scripts s LEFT JOIN users u ON u.id = s.created_by'

/** Campaigns with their settings (JSON), and their versioned scripts. */
export class CampaignsRepo extends Repo {
  list(): CampaignRow[] {
    return this.all('SELECT id, name, active, training, created_at, settings FROM campaigns ORDER BY id')
  }

  nameTaken(name: string): boolean {
    return this.one('SELECT 1 FROM campaigns WHERE name = ?', name) !== undefined
  }

  add(name: string, at: string): number {
    return this.insert('INSERT INTO campaigns (name, created_at) VALUES (?, ?)', name, at)
  }

  update(id: number, name: string | null, active: boolean | null, settings: string): void {
    this.run(
      'UPDATE campaigns SET name = coalesce(@name, name), active = coalesce(@active, active), settings = @settings WHERE id = @id',
      { id, name, active: active === null ? null : active ? 1 : 0, settings }
    )
  }

  currentScript(campaignId: number): ScriptRow | undefined {
    return this.one(`${SCRIPT_SELECT} WHERE campaign_id = ? ORDER BY version DESC LIMIT 1`, campaignId)
  }

  script(id: number): ScriptRow | undefined {
    return this.one(`${SCRIPT_SELECT} WHERE s.id = ?`, id)
  }

  currentScriptId(campaignId: number): number | undefined {
    return this.value('SELECT id FROM scripts WHERE campaign_id = ? ORDER BY version DESC LIMIT 1', campaignId)
  }

  /** A new version of the campaign's script. */
  addScript(campaignId: number, title: string, body: string, userId: number | null, at: string): void {
    const version =
      (this.value<number | null>('SELECT max(version) FROM scripts WHERE campaign_id = ?', campaignId) ?? 0) + 1
    this.run(
      'INSERT INTO scripts (campaign_id, version, title, body, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      campaignId,
      version,
      title,
      body,
      userId,
      at
    )
  }

  versions(campaignId: number): Omit<ScriptRow, 'body'>[] {
    return this.all(
      'SELECT s.id, s.campaign_id, s.version, s.title, s.created_at, u.username FROM scripts s LEFT JOIN users u ON u.id = s.created_by WHERE campaign_id = ? ORDER BY version DESC',
      campaignId
    )
  }
}
