import { Repo } from '../db/repo'

export class SystemRepo extends Repo {
  sqliteVersion(): string {
    return this.value<string>('SELECT sqlite_version()')!
  }
}
