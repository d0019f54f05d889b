import { randomBytes, scrypt, timingSafeEqual, createHash } from 'node:crypto'

// scrypt parameters: N=2^15 costs ~30–60 ms per check on the target machines, which keeps
// guessing slow without making a login feel slow. Stored with the hash so they can be raised.
const N = 32768
const R = 8
const P = 1
const KEYLEN = 32
const MAXMEM = 64 * 1024 * 1024

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEYLEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) =>
      err ? reject(err) : resolve(key)
    )
  )
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, N, R, P)
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [, n, r, p, salt, hash] = parts
  const expected = Buffer.from(hash, 'base64')
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p))
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** A hash to check against when the user does not exist, so timing does not reveal user names. */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEYLEN).toString('base64')}`

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Two secrets compared in constant time (their hashes, so the length is not told either). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest())
}

/** A one-time code for a person to type: 8 digits in two groups (1234-5678). */
export function newSetupCode(): string {
  const n = randomBytes(4).readUInt32BE(0) % 100_000_000
  const s = String(n).padStart(8, '0')
  return `${s.slice(0, 4)}-${s.slice(4)}`
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
