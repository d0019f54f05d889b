import { Repo } from '../db/repo'

/** Settings: one JSON value per top-level key. */
export class SettingsRepo extends Repo {
  entries(): { key: string; value: string }[] {
    return this.all('SELECT key, value FROM settings')
  }

  put(key: string, value: string): void {
    this.run(
      'INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      { key, value }
    )
  }
}
