import { createHash, randomBytes } from 'node:crypto'
import WebSocket from 'ws'

/** What a test registration found, for the administrator in words (errors.sipTest.*). */
export type RegisterVerdict =
  'registered' | 'realmNotDomain' | 'wrongCredentials' | 'unknownDomain' | 'noAnswer' | 'tlsUntrusted' | 'failed'

export interface RegisterAccount {
  wsUrl: string
  domain: string
  sipUser: string
  password: string
  displayName: string
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID'
])

const md5 = (s: string) => createHash('md5').update(s).digest('hex')

/**
 * The digest key a softphone registers with instead of the password: HA1 = MD5(user:realm:password)
 * (RFC 2617). The desks take the SIP domain as the realm, as Kamailio, OpenSIPS and FreeSWITCH
 * challenge by default; the line test says so when a PBX challenges with another realm.
 */
export const digestKey = (sipUser: string, realm: string, password: string) => md5(`${sipUser}:${realm}:${password}`)
const token = () => randomBytes(8).toString('hex')

interface Response {
  status: number
  reason: string
  headers: Map<string, string[]>
}

function parse(text: string): Response | null {
  const [head] = text.split('\r\n\r\n')
  const lines = head.split('\r\n')
  const m = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(lines[0])
  if (!m) return null
  const headers = new Map<string, string[]>()
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':')
    if (i < 0) continue
    const name = l.slice(0, i).trim().toLowerCase()
    headers.set(name, [...(headers.get(name) ?? []), l.slice(i + 1).trim()])
  }
  return { status: Number(m[1]), reason: m[2], headers }
}

/** The parameters of a Digest challenge (RFC 2617/8760). */
function challenge(h: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of h.replace(/^Digest\s+/i, '').matchAll(/(\w+)=("([^"]*)"|[^,\s]+)/g))
    out[m[1].toLowerCase()] = m[3] ?? m[2]
  return out
}

/**
 * Registers once with a SIP account over its WebSocket, answering a digest challenge, and takes the
 * registration back at once: the administrator learns whether the line works before an operator
 * sits down, without the password ever leaving core.
 */
export function testRegister(
  a: RegisterAccount,
  timeoutMs = 8000
): Promise<{ verdict: RegisterVerdict; status: number | null; reason: string }> {
  return new Promise((resolve) => {
    let done = false
    let ws: WebSocket
    const finish = (verdict: RegisterVerdict, status: number | null, reason: string) => {
      if (done) return
      // the password works, but a desk's key is made for the SIP domain: its registration would fail
      if (verdict === 'registered' && realm !== null && realm !== a.domain) {
        verdict = 'realmNotDomain'
        reason = realm
      }
      done = true
      clearTimeout(timer)
      try {
        ws?.terminate()
      } catch {
        // already gone
      }
      resolve({ verdict, status, reason })
    }
    const timer = setTimeout(() => finish('noAnswer', null, 'timeout'), timeoutMs)
    try {
      ws = new WebSocket(a.wsUrl, 'sip', { handshakeTimeout: timeoutMs })
    } catch (err) {
      finish('failed', null, err instanceof Error ? err.message : String(err))
      return
    }
    const callId = token()
    const fromTag = token()
    const host = `${token()}.invalid`
    const contact = `<sip:${token()}@${host};transport=ws>`
    const uri = `sip:${a.domain}`
    let cseq = 0
    let registered = false
    let answered = false
    let realm: string | null = null
    const send = (expires: number, auth?: string) => {
      cseq++
      ws.send(
        [
          `REGISTER ${uri} SIP/2.0`,
          `Via: SIP/2.0/WSS ${host};branch=z9hG4bK${token()}`,
          'Max-Forwards: 70',
          `To: <sip:${a.sipUser}@${a.domain}>`,
          `From: "${a.displayName.replace(/"/g, '')}" <sip:${a.sipUser}@${a.domain}>;tag=${fromTag}`,
          `Call-ID: ${callId}`,
          `CSeq: ${cseq} REGISTER`,
          `Contact: ${contact};expires=${expires}`,
          `Expires: ${expires}`,
          ...(auth ? [auth] : []),
          'User-Agent: LeadLine line test',
          'Content-Length: 0',
          '',
          ''
        ].join('\r\n')
      )
    }
    const authorize = (r: Response, expires: number): boolean => {
      const header =
        r.status === 401 ? r.headers.get('www-authenticate')?.[0] : r.headers.get('proxy-authenticate')?.[0]
      if (!header) return false
      const c = challenge(header)
      if (c.realm) realm = c.realm
      const ha1 = digestKey(a.sipUser, c.realm ?? a.domain, a.password)
      const ha2 = md5(`REGISTER:${uri}`)
      const qop = c.qop
        ?.split(',')
        .map((q) => q.trim())
        .includes('auth')
        ? 'auth'
        : null
      const cnonce = token()
      const nc = '00000001'
      const response = qop ? md5(`${ha1}:${c.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${c.nonce}:${ha2}`)
      const fields = [
        `username="${a.sipUser}"`,
        `realm="${c.realm ?? a.domain}"`,
        `nonce="${c.nonce}"`,
        `uri="${uri}"`,
        `response="${response}"`,
        'algorithm=MD5'
      ]
      if (c.opaque) fields.push(`opaque="${c.opaque}"`)
      if (qop) fields.push(`qop=${qop}`, `cnonce="${cnonce}"`, `nc=${nc}`)
      send(expires, `${r.status === 401 ? 'Authorization' : 'Proxy-Authorization'}: Digest ${fields.join(', ')}`)
      return true
    }
    ws.on('open', () => send(60))
    ws.on('message', (data) => {
      const r = parse(String(data))
      if (!r || r.status < 200) return
      if (r.status === 401 || r.status === 407) {
        // one challenge per request is answered; a second means the user or password is wrong
        if (answered) return finish('wrongCredentials', r.status, r.reason)
        answered = true
        if (!authorize(r, registered ? 0 : 60)) finish('failed', r.status, r.reason)
        return
      }
      if (r.status >= 200 && r.status < 300) {
        if (registered) return finish('registered', 200, 'OK')
        // take the test registration back: no phone should ring here
        registered = true
        answered = false
        send(0)
        return
      }
      if (registered) return finish('registered', 200, 'OK')
      if (r.status === 403) return finish('wrongCredentials', r.status, r.reason)
      if (r.status === 404 || r.status === 604) return finish('unknownDomain', r.status, r.reason)
      if (r.status === 408 || r.status === 503 || r.status === 504) return finish('noAnswer', r.status, r.reason)
      finish('failed', r.status, r.reason)
    })
    ws.on('unexpected-response', (_req, res) => finish('failed', res.statusCode ?? null, `WebSocket ${res.statusCode}`))
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code && TLS_CODES.has(err.code)) return finish('tlsUntrusted', null, err.code)
      if (
        err.code === 'ECONNREFUSED' ||
        err.code === 'ENOTFOUND' ||
        err.code === 'EHOSTUNREACH' ||
        err.code === 'ETIMEDOUT' ||
        err.code === 'ECONNRESET'
      )
        return finish('noAnswer', null, err.code)
      finish('failed', null, err.message)
    })
    ws.on('close', () => finish(registered ? 'registered' : 'noAnswer', null, 'closed'))
  })
}
