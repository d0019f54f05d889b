import { X509Certificate } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { Session } from 'electron'

/** Hubs this seat has trusted: host name → SHA-256 of the certificate the user confirmed. */
export interface TrustStore {
  get(host: string): string | null
  set(host: string, fingerprint: string): void
}

export function fileTrustStore(file: string): TrustStore {
  const read = (): Record<string, string> => {
    try {
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {}
    } catch {
      return {}
    }
  }
  return {
    get: (host) => read()[host] ?? null,
    set: (host, fingerprint) => {
      writeFileSync(file, JSON.stringify({ ...read(), [host]: fingerprint }, null, 2), { mode: 0o600 })
      chmodSync(file, 0o600)
    }
  }
}

/** SHA-256 of a certificate as AA:BB:… — what `leadline serve` prints beside the hub's address. */
export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256
}

/** Chromium's codes for setCertificateVerifyProc: trust, refuse, or keep Chromium's own verdict. */
const TRUST = 0
const REFUSE = -2
const CHROMIUM = -3

/**
 * The desk joins its team hub over wss://. A certificate the system trusts (the centre's own, or
 * the hub's CA installed by IT) passes as Chromium decides. Otherwise the seat pins the hub's
 * certificate: on first connection the user compares its fingerprint with the one the
 * administrator reads out and confirms; the same certificate passes from then on; a different one
 * is refused with a warning — that is what a machine in the middle would present.
 */
export function installHubTrust(
  ses: Pick<Session, 'setCertificateVerifyProc'>,
  store: TrustStore,
  ask: (host: string, fingerprint: string) => Promise<boolean>,
  warn: (host: string, expected: string, got: string) => void
): void {
  const asking = new Map<string, Promise<boolean>>()
  ses.setCertificateVerifyProc((request, callback) => {
    if (request.verificationResult === 'net::OK') return callback(CHROMIUM)
    let fp: string
    try {
      fp = fingerprintOf(request.certificate.data)
    } catch {
      return callback(REFUSE)
    }
    const pinned = store.get(request.hostname)
    if (pinned === fp) return callback(TRUST)
    if (pinned) {
      warn(request.hostname, pinned, fp)
      return callback(REFUSE)
    }
    // one question per host, however many connections wait on it
    const key = `${request.hostname}|${fp}`
    let answer = asking.get(key)
    if (!answer) {
      answer = ask(request.hostname, fp).finally(() => asking.delete(key))
      asking.set(key, answer)
    }
    void answer.then((ok) => {
      if (ok) store.set(request.hostname, fp)
      callback(ok ? TRUST : REFUSE)
    })
  })
}
