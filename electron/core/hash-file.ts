import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/** A file's digest, streamed (recordings and installers are too big to read whole). */
export function hashFile(file: string, algorithm: 'sha256' | 'sha512', encoding: 'hex' | 'base64'): Promise<string> {
  return new Promise((ok, fail) => {
    const h = createHash(algorithm)
    createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('end', () => ok(h.digest(encoding)))
      .on('error', fail)
  })
}
