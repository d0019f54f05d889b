import { generateKeyPairSync, createPublicKey, sign, verify } from 'node:crypto'
import RELEASE_PUBLIC_KEY from '../../../resources/update-signing.pub?raw'

/**
 * Desktop updates are signed by whoever releases LeadLine, with an Ed25519 key whose public half
 * the app ships (resources/update-signing.pub, built into the app and the CLI). The signature
 * covers the release manifest (release.json: version and each installer's name, size and SHA-512).
 * A hub only passes the files on: `leadline updates publish` refuses a release whose signature does
 * not verify, and a seat verifies the manifest before it downloads and the downloaded file's
 * SHA-512 against it before it installs; an older or equal version is never installed.
 */
export { RELEASE_PUBLIC_KEY }

export const MANIFEST_FILE = 'release.json'
export const SIGNATURE_FILE = 'release.json.sig'

export interface ReleaseManifest {
  product: 'LeadLine'
  version: string
  files: { name: string; size: number; sha512: string }[]
}

/** The manifest as it is signed: one key order, one line. */
export function manifestText(m: ReleaseManifest): string {
  return JSON.stringify({
    product: m.product,
    version: m.version,
    files: m.files.map((f) => ({ name: f.name, size: f.size, sha512: f.sha512 }))
  })
}

export function newSigningKeys(): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  }
}

/** base64 Ed25519 signature of the manifest's text. */
export function signManifest(text: string, privatePem: string): string {
  return sign(null, Buffer.from(text, 'utf8'), privatePem).toString('base64')
}

/**
 * The manifest, when the signature is the shipped key's over exactly this text and it reads as a
 * LeadLine release; null for anything else (a wrong key, a changed byte, not a manifest).
 */
export function verifiedManifest(
  text: string,
  signatureB64: string,
  publicPem = RELEASE_PUBLIC_KEY
): ReleaseManifest | null {
  try {
    const key = createPublicKey(publicPem)
    if (key.asymmetricKeyType !== 'ed25519') return null
    if (!verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signatureB64.trim(), 'base64'))) return null
    const m = JSON.parse(text) as ReleaseManifest
    if (m.product !== 'LeadLine' || typeof m.version !== 'string' || !Array.isArray(m.files)) return null
    return m
  } catch {
    return null
  }
}

/** 1.2.10 > 1.2.9; a pre-release (1.3.0-beta.1) is below its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.split('-', 2)
    return { nums: core.split('.').map((n) => Number(n) || 0), pre: pre ?? null }
  }
  const x = parse(a)
  const y = parse(b)
  for (let i = 0; i < 3; i++) if ((x.nums[i] ?? 0) !== (y.nums[i] ?? 0)) return (x.nums[i] ?? 0) - (y.nums[i] ?? 0)
  if (x.pre === y.pre) return 0
  if (x.pre === null) return 1
  if (y.pre === null) return -1
  return x.pre < y.pre ? -1 : 1
}
