import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from './errors'

/** Seals secrets kept at rest (SIP passwords). The desktop passes one backed by safeStorage. */
export interface SecretBox {
  seal(plain: string): Buffer
  open(sealed: Buffer): string
}

const VERSION = 1

/**
 * AES-256-GCM with a random key kept in dataDir/secret.key (owner read/write only). A backup of the
 * database alone does not reveal the passwords; restoring it elsewhere needs the key file too.
 */
export class KeyFileSecretBox implements SecretBox {
  private key: Buffer

  constructor(dataDir: string) {
    const file = join(dataDir, 'secret.key')
    if (!existsSync(file)) {
      writeFileSync(file, randomBytes(32), { mode: 0o600 })
      chmodSync(file, 0o600)
    }
    this.key = readFileSync(file)
    if (this.key.length !== 32) throw new Error(`${file} is not a 32-byte key`)
  }

  seal(plain: string): Buffer {
    const iv = randomBytes(12)
    const c = createCipheriv('aes-256-gcm', this.key, iv)
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
    return Buffer.concat([Buffer.from([VERSION]), iv, c.getAuthTag(), body])
  }

  open(sealed: Buffer): string {
    try {
      if (sealed[0] !== VERSION) throw new Error('unknown version')
      const d = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(1, 13))
      d.setAuthTag(sealed.subarray(13, 29))
      return Buffer.concat([d.update(sealed.subarray(29)), d.final()]).toString('utf8')
    } catch {
      // The key file was replaced or the value damaged: say so rather than hand out garbage.
      throw new AppError('CONFLICT', 'errors.secretUnreadable')
    }
  }
}
