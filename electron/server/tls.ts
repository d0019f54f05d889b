import 'reflect-metadata' // @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata API
import { createHash, createPrivateKey, webcrypto, X509Certificate } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { hostname } from 'node:os'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto as unknown as Crypto)

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY = 86_400_000
/** The hub's own certificate authority: ten years, kept in the data folder, its key readable by the hub's user only. */
const CA_DAYS = 3650
/** Server certificates stay within what browsers accept (398 days), and are renewed a month before they end. */
const SERVER_DAYS = 397
const RENEW_BEFORE_DAYS = 30

export interface HubCredentials {
  /** The server's private key (PEM). */
  key: string
  /** The server certificate followed by the CA's (PEM chain). */
  cert: string
  /** The CA certificate seats trust (PEM), or null for a certificate the centre brought. */
  ca: string | null
  names: string[]
  notAfter: Date
  /** SHA-256 of the server certificate (AA:BB:…), as a seat shows it for confirming. */
  fingerprint: string
  /** base64 SHA-256 of the server's public key (SPKI), as Chromium's --ignore-certificate-errors-spki-list takes it. */
  spki: string
}

/** The names a hub's certificate covers by default: this machine's host name, localhost and 127.0.0.1. */
export function defaultNames(): string[] {
  return [...new Set([hostname(), 'localhost', '127.0.0.1'].filter(Boolean))]
}

function tlsDir(dataDir: string): string {
  const dir = join(dataDir, 'tls')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
  return dir
}

function writeSecret(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 })
  chmodSync(file, 0o600)
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key))
  return `-----BEGIN PRIVATE KEY-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' })
  return webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign'])
}

function serial(): string {
  // positive, 16 random bytes
  const b = webcrypto.getRandomValues(new Uint8Array(16))
  b[0] &= 0x7f
  return Buffer.from(b).toString('hex')
}

/** SHA-256 of a certificate's DER, as AA:BB:… */
export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256
}

/** base64 SHA-256 of a certificate's public key (SubjectPublicKeyInfo). */
export function spkiOf(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(spki).digest('base64')
}

/** DER: a tag, its length, its content. */
function der(tag: number, content: Buffer): Buffer {
  const n = content.length
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]
  return Buffer.concat([Buffer.from([tag, ...len]), content])
}

/** An IP address's bytes (4 or 16). */
function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number))
  const [head, tail = ''] = ip.split('::')
  const groups = (s: string) => (s ? s.split(':') : [])
  const h = groups(head)
  const t = groups(tail)
  const all = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h
  return Buffer.concat(all.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')))
}

/** The private and loopback address ranges (a hub's LAN address may change without a new CA). */
const PRIVATE_RANGES: [string, number][] = [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10]
]

function maskOf(bits: number, bytes: number): Buffer {
  return Buffer.from(
    Array.from({ length: bytes }, (_, i) => (0xff << (8 - Math.max(0, Math.min(8, bits - i * 8)))) & 0xff)
  )
}

function inRange(ip: string, [base, bits]: [string, number]): boolean {
  const a = ipBytes(ip)
  const b = ipBytes(base)
  if (a.length !== b.length) return false
  const m = maskOf(bits, a.length)
  return a.every((x, i) => (x & m[i]) === (b[i] & m[i]))
}

/** What a CA made for these names may sign for: their host names (and names under them), the private ranges, their other addresses. */
function permittedOf(names: string[]): { dns: string[]; ranges: [string, number][] } {
  const dns = [...new Set([...names.filter((n) => !isIP(n)).map((n) => n.toLowerCase()), 'localhost'])]
  const publicIps = names.filter((n) => isIP(n) && !PRIVATE_RANGES.some((r) => inRange(n, r)))
  return {
    dns,
    ranges: [...PRIVATE_RANGES, ...publicIps.map((ip): [string, number] => [ip, isIP(ip) === 4 ? 32 : 128])]
  }
}

/**
 * Name constraints (RFC 5280 4.2.1.10, critical): the CA may sign for the hub's own host names (and
 * names under them), private and loopback addresses, and the public addresses it was made for —
 * nothing else. A CA key that leaked could not vouch for a bank's or a webmail's name to a seat
 * that trusts it.
 */
function nameConstraints(names: string[]): x509.Extension {
  const p = permittedOf(names)
  const subtrees = [
    ...p.dns.map((n) => der(0x82, Buffer.from(n, 'ascii'))),
    ...p.ranges.map(([ip, bits]) => {
      const bytes = ipBytes(ip)
      return der(0x87, Buffer.concat([bytes, maskOf(bits, bytes.length)]))
    })
  ].map((base) => der(0x30, base))
  return new x509.Extension('2.5.29.30', true, new Uint8Array(der(0x30, der(0xa0, Buffer.concat(subtrees)))))
}

/** Is this name inside what a CA made for `caNames` may sign for? */
function covered(name: string, caNames: string[]): boolean {
  const p = permittedOf(caNames)
  if (isIP(name)) return p.ranges.some((r) => inRange(name, r))
  const n = name.toLowerCase()
  return p.dns.some((c) => n === c || n.endsWith(`.${c}`))
}

/**
 * The hub's CA, made on first use for the hub's names: certificate and key in <data>/tls (key 0600),
 * constrained to those names (ca.names). It is made again near its end, or when the hub is given a
 * name outside them (seats then confirm the new one, as at a renewal).
 */
async function ensureCa(
  dir: string,
  now: Date,
  names?: string[]
): Promise<{ cert: x509.X509Certificate; key: CryptoKey; pem: string }> {
  const certFile = join(dir, 'ca.crt')
  const keyFile = join(dir, 'ca.key')
  const namesFile = join(dir, 'ca.names')
  if (existsSync(certFile) && existsSync(keyFile)) {
    const pem = readFileSync(certFile, 'utf8')
    const cert = new x509.X509Certificate(pem)
    // a CA of an older version (no ca.names) has no constraints: it is made again with them
    const caNames = existsSync(namesFile) ? (JSON.parse(readFileSync(namesFile, 'utf8')) as string[]) : null
    if (
      caNames &&
      (names ?? []).every((n) => covered(n, caNames)) &&
      cert.notAfter.getTime() - now.getTime() > RENEW_BEFORE_DAYS * DAY
    )
      return { cert, key: await importKey(readFileSync(keyFile, 'utf8')), pem }
  }
  const permitted = names?.length ? names : defaultNames()
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=LeadLine hub CA (${hostname()}), O=LeadLine`,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      nameConstraints(permitted)
    ]
  })
  const pem = cert.toString('pem') + '\n'
  writeSecret(keyFile, await pkcs8Pem(keys.privateKey))
  writeFileSync(certFile, pem, { mode: 0o644 })
  writeFileSync(namesFile, JSON.stringify(permitted))
  return { cert, key: keys.privateKey, pem }
}

function sameNames(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i])
}

/**
 * The hub's server certificate for `names` (host names and IP addresses), signed by the hub's own
 * CA; made again when missing, when the names change, or a month before it ends.
 */
export async function ensureHubCertificate(
  dataDir: string,
  names: string[],
  now = new Date()
): Promise<HubCredentials & { renewed: boolean }> {
  if (!names.length) throw new Error('a certificate needs at least one name')
  const dir = tlsDir(dataDir)
  const ca = await ensureCa(dir, now, names)
  const certFile = join(dir, 'server.crt')
  const keyFile = join(dir, 'server.key')
  const namesFile = join(dir, 'server.names')
  if (existsSync(certFile) && existsSync(keyFile) && existsSync(namesFile)) {
    const pem = readFileSync(certFile, 'utf8')
    const cert = new x509.X509Certificate(pem)
    const had = JSON.parse(readFileSync(namesFile, 'utf8')) as string[]
    const signedByCa = await cert.verify({ publicKey: ca.cert.publicKey, signatureOnly: true }).catch(() => false)
    if (sameNames(had, names) && signedByCa && cert.notAfter.getTime() - now.getTime() > RENEW_BEFORE_DAYS * DAY)
      return { ...credentials(readFileSync(keyFile, 'utf8'), pem, ca.pem, names, cert.notAfter), renewed: false }
  }
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
  const notAfter = new Date(Math.min(now.getTime() + SERVER_DAYS * DAY, ca.cert.notAfter.getTime()))
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names[0]}, O=LeadLine`,
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - DAY),
    notAfter,
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        names.map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n }))
      ),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)
    ]
  })
  const pem = cert.toString('pem') + '\n'
  const key = await pkcs8Pem(keys.privateKey)
  writeSecret(keyFile, key)
  writeFileSync(certFile, pem, { mode: 0o644 })
  writeFileSync(namesFile, JSON.stringify(names))
  return { ...credentials(key, pem, ca.pem, names, notAfter), renewed: true }
}

function credentials(
  key: string,
  serverPem: string,
  caPem: string | null,
  names: string[],
  notAfter: Date
): HubCredentials {
  return {
    key,
    cert: caPem ? serverPem + caPem : serverPem,
    ca: caPem,
    names,
    notAfter,
    fingerprint: fingerprintOf(serverPem),
    spki: spkiOf(serverPem)
  }
}

/** A certificate and key the centre brought (--tls-cert, --tls-key), checked to belong together. */
export function loadCredentials(certFile: string, keyFile: string): HubCredentials {
  const cert = readFileSync(certFile, 'utf8')
  const key = readFileSync(keyFile, 'utf8')
  const x = new X509Certificate(cert)
  if (!x.checkPrivateKey(createPrivateKey(key))) throw new Error('the key does not belong to the certificate')
  const names = (x.subjectAltName ?? '')
    .split(/,\s*/)
    .map((s) => s.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean)
  return {
    key,
    cert,
    ca: null,
    names,
    notAfter: new Date(x.validTo),
    fingerprint: x.fingerprint256,
    spki: spkiOf(cert)
  }
}

/** The hub CA's certificate and fingerprint, for seats to trust (`leadline tls ca`); made if there is none yet. */
export async function hubCa(
  dataDir: string,
  now = new Date()
): Promise<{ pem: string; fingerprint: string; notAfter: Date }> {
  const ca = await ensureCa(tlsDir(dataDir), now)
  return { pem: ca.pem, fingerprint: fingerprintOf(ca.pem), notAfter: ca.cert.notAfter }
}
