import { createHmac, randomBytes } from 'node:crypto'
import { Repo } from '../db/repo'
import type { SecretBox } from '../secrets'

class PrivacyKeyRepo extends Repo {
  sealed(): Buffer | undefined {
    return this.value<Buffer>('SELECT key_sealed FROM privacy_key WHERE id = 1')
  }

  save(sealed: Buffer, at: string): void {
    this.run(
      'INSERT INTO privacy_key (id, key_sealed, created_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING',
      sealed,
      at
    )
  }
}

/** What an erased number becomes wherever it must still be recognised: `h:` and 64 hex digits. */
export type KeyedHash = (phone: string) => string

export const isKeyedHash = (s: string): boolean => /^h:[0-9a-f]{64}$/.test(s)

/**
 * The keyed hash of a phone number (HMAC-SHA-256 under the centre's privacy key): what an erasure's
 * proof and a forgotten customer's do-not-call entry keep instead of the number. The key is made once,
 * sealed like the SIP passwords (the database alone does not let anyone try every number), and goes
 * with a full backup's sealing key.
 */
export function privacyKeyedHash(
  db: ConstructorParameters<typeof PrivacyKeyRepo>[0],
  box: SecretBox,
  at: string
): KeyedHash {
  const repo = new PrivacyKeyRepo(db)
  if (!repo.sealed()) repo.save(box.seal(randomBytes(32).toString('base64')), at)
  // opened when first needed: a replaced key file is a clear error there, not at start
  let key: Buffer | null = null
  return (phone) => {
    key ??= Buffer.from(box.open(repo.sealed()!), 'base64')
    return 'h:' + createHmac('sha256', key).update(phone).digest('hex')
  }
}
