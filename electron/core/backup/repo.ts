import { Repo } from '../db/repo'

/** The backups table: each run, by schedule or by hand, with its figures or its error. */
export class BackupsRepo extends Repo {
  start(at: string, dest: string): number {
    return this.insert('INSERT INTO backups (started_at, dest) VALUES (?, ?)', at, dest)
  }

  ok(id: number, at: string, set: string, detail: unknown): void {
    this.run('UPDATE backups SET finished_at = @at, ok = 1, set_dir = @set, detail = @detail WHERE id = @id', {
      id,
      at,
      set,
      detail: JSON.stringify(detail)
    })
  }

  fail(id: number, at: string, error: string, key?: string, params?: Record<string, string | number>): void {
    this.run('UPDATE backups SET finished_at = @at, ok = 0, detail = @detail WHERE id = @id', {
      id,
      at,
      detail: JSON.stringify({ error, key, params })
    })
  }

  startedSince(at: string): number {
    return this.value<number>('SELECT count(*) FROM backups WHERE started_at >= ?', at)!
  }

  last(): { started_at: string; ok: number; detail: string | null } | undefined {
    return this.one('SELECT started_at, ok, detail FROM backups WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1')
  }
}

/** What a backup copies and a restore checks: the recordings' files and their stored checksums. */
export class BackupFilesRepo extends Repo {
  closedRecordings(): { file: string; sha256: string }[] {
    return this.all("SELECT file, sha256 FROM recordings WHERE state <> 'recording' AND sha256 IS NOT NULL")
  }

  openRecordings(): string[] {
    return this.column("SELECT file FROM recordings WHERE state = 'recording'")
  }

  /** Recordings archived in an S3 store: the store's own durability and versioning keep them, not the backup. */
  storedRecordings(): string[] {
    return this.column('SELECT file FROM recordings WHERE object_key IS NOT NULL')
  }

  allRecordings(): { file: string; sha256: string | null; object_key: string | null }[] {
    return this.all('SELECT file, sha256, object_key FROM recordings')
  }
}
