import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { join, resolve } from 'node:path'
import WebSocket from 'ws'
import { ensureHubCertificate, hubCa, loadCredentials } from '../../electron/server/tls'
import { startHub, type Hub } from '../../electron/server/hub'
import { makeCore, tempDir } from '../helpers/core'

const DAY = 86_400_000
const mode = (f: string) => statSync(f).mode & 0o777

describe('the hub’s own certificates', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => {
    tmp = tempDir()
  })
  afterEach(() => tmp.cleanup())

  it('a local CA and a server certificate for the names asked for, signed by it; private keys readable by the hub’s user only', async () => {
    const now = new Date('2026-11-24T00:00:00Z')
    const c = await ensureHubCertificate(tmp.dir, ['hub.lan', 'localhost', '127.0.0.1', '192.168.1.10'], now)
    expect(c.renewed).toBe(true)
    const [server, ca] = c.cert.split(/(?<=-----END CERTIFICATE-----\n)/).map((p) => new X509Certificate(p))
    expect(server.subjectAltName).toBe('DNS:hub.lan, DNS:localhost, IP Address:127.0.0.1, IP Address:192.168.1.10')
    expect(server.verify(ca.publicKey)).toBe(true)
    expect(server.checkIssued(ca)).toBe(true)
    expect(ca.ca).toBe(true)
    expect(server.ca).toBe(false)
    expect(server.keyUsage).toContain('1.3.6.1.5.5.7.3.1') // serverAuth
    // within what browsers accept, and the CA for ten years
    expect(new Date(server.validTo).getTime() - now.getTime()).toBeLessThanOrEqual(398 * DAY)
    expect(new Date(ca.validTo).getTime() - now.getTime()).toBeGreaterThan(9 * 365 * DAY)
    expect(server.checkPrivateKey(await import('node:crypto').then((m) => m.createPrivateKey(c.key)))).toBe(true)
    const dir = join(tmp.dir, 'tls')
    expect(mode(dir)).toBe(0o700)
    expect(mode(join(dir, 'ca.key'))).toBe(0o600)
    expect(mode(join(dir, 'server.key'))).toBe(0o600)
    expect(c.fingerprint).toBe(server.fingerprint256)
  })

  it('is kept while valid, renewed a month before it ends or when the names change; the CA stays the same', async () => {
    const now = new Date('2026-11-24T00:00:00Z')
    const first = await ensureHubCertificate(tmp.dir, ['hub.lan'], now)
    const again = await ensureHubCertificate(tmp.dir, ['hub.lan'], new Date(now.getTime() + 300 * DAY))
    expect(again).toMatchObject({ renewed: false, fingerprint: first.fingerprint })
    const late = await ensureHubCertificate(tmp.dir, ['hub.lan'], new Date(now.getTime() + 370 * DAY))
    expect(late.renewed).toBe(true)
    expect(late.fingerprint).not.toBe(first.fingerprint)
    expect(late.ca).toBe(first.ca)
    const renamed = await ensureHubCertificate(
      tmp.dir,
      ['hub.lan', 'leadline.centre.local'],
      new Date(now.getTime() + 370 * DAY)
    )
    expect(renamed.renewed).toBe(true)
    expect(new X509Certificate(renamed.cert).subjectAltName).toContain('leadline.centre.local')
  })

  it('the CA signs for the hub’s names only (name constraints): a certificate it made for another site is refused by TLS; a new LAN address keeps it, a new host name makes a new one', async () => {
    const now = new Date('2026-11-24T00:00:00Z')
    const c = await ensureHubCertificate(tmp.dir, ['hub.lan', 'localhost', '127.0.0.1'], now)
    const caPem = c.ca!
    // a certificate for someone else's site, signed with the hub CA's own key (as a thief of the key would)
    const x509 = await import('@peculiar/x509')
    const { createPrivateKey, webcrypto } = await import('node:crypto')
    x509.cryptoProvider.set(webcrypto as unknown as Crypto)
    expect(new x509.X509Certificate(caPem).getExtension('2.5.29.30')?.critical).toBe(true)
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
    const caKey = await webcrypto.subtle.importKey(
      'pkcs8',
      createPrivateKey(readFileSync(join(tmp.dir, 'tls', 'ca.key'), 'utf8')).export({ type: 'pkcs8', format: 'der' }),
      alg,
      false,
      ['sign']
    )
    const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])
    const forged = async (name: string) =>
      (
        await x509.X509CertificateGenerator.create({
          serialNumber: '01',
          subject: `CN=${name}`,
          issuer: new x509.X509Certificate(caPem).subject,
          notBefore: new Date(Date.now() - DAY),
          notAfter: new Date(Date.now() + DAY),
          signingAlgorithm: alg,
          publicKey: keys.publicKey,
          signingKey: caKey,
          extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: name }])]
        })
      ).toString('pem')
    const keyPem = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64')}\n-----END PRIVATE KEY-----\n`
    const tls = await import('node:tls')
    const handshake = async (name: string) => {
      const server = tls.createServer({ key: keyPem, cert: await forged(name) }, (s) => s.end())
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      const port = (server.address() as { port: number }).port
      try {
        return await new Promise<string>((resolve) => {
          const s = tls.connect({ host: '127.0.0.1', port, servername: name, ca: caPem }, () => {
            s.end()
            resolve('trusted')
          })
          s.on('error', (e: Error & { code?: string }) => resolve(`${e.code} ${e.message}`))
        })
      } finally {
        server.close()
      }
    }
    expect(await handshake('www.bank.example')).toMatch(/permitted subtree violation/)
    // under the hub's own name it is trusted (the constraints, not the forging, are what refuses)
    expect(await handshake('seat.hub.lan')).toBe('trusted')
    // another address on the LAN keeps the CA; a host name outside its names makes a new one
    const lan = await ensureHubCertificate(tmp.dir, ['hub.lan', 'localhost', '127.0.0.1', '192.168.1.20'], now)
    expect(lan.ca).toBe(caPem)
    const renamed = await ensureHubCertificate(tmp.dir, ['hub.lan', 'leadline.centre.example'], now)
    expect(renamed.ca).not.toBe(caPem)
  })

  it('`leadline tls ca` prints the CA for seats to trust, with its SHA-256', async () => {
    const c = await ensureHubCertificate(tmp.dir, ['hub.lan'])
    const cli = resolve('out/main/cli.js')
    const out = JSON.parse(
      execFileSync(process.execPath, [cli, 'tls', 'ca', '--data', tmp.dir, '--json'], { encoding: 'utf8' })
    ) as { pem: string; fingerprint: string }
    expect(out.pem).toBe(c.ca)
    expect(out.fingerprint).toBe(new X509Certificate(c.ca!).fingerprint256)
    expect((await hubCa(tmp.dir)).fingerprint).toBe(out.fingerprint)
    const text = execFileSync(process.execPath, [cli, 'tls', 'ca', '--data', tmp.dir], { encoding: 'utf8' })
    expect(text).toContain('-----BEGIN CERTIFICATE-----')
    expect(text).toContain(`SHA-256 ${out.fingerprint}`)
  })

  it('the centre’s own certificate files are checked to belong together', async () => {
    const c = await ensureHubCertificate(tmp.dir, ['hub.lan'])
    const other = await ensureHubCertificate(join(tmp.dir, 'other'), ['hub.lan'])
    const certFile = join(tmp.dir, 'tls', 'server.crt')
    expect(loadCredentials(certFile, join(tmp.dir, 'tls', 'server.key'))).toMatchObject({
      names: ['hub.lan'],
      fingerprint: c.fingerprint,
      ca: null
    })
    expect(() => loadCredentials(certFile, join(tmp.dir, 'other', 'tls', 'server.key'))).toThrow(/does not belong/)
    void other
  })
})

describe('the hub over TLS', () => {
  let env: Awaited<ReturnType<typeof makeCore>>
  let hub: Hub
  let ca: string
  beforeEach(async () => {
    env = await makeCore()
    const c = await ensureHubCertificate(env.dir, ['localhost', '127.0.0.1'])
    ca = c.ca!
    hub = await startHub({ core: env.core, port: 0, staticDir: null, tls: c })
  })
  afterEach(async () => {
    await hub.close()
    env.cleanup()
  })

  it('serves HTTPS and WSS; plain HTTP on the same port is sent to the https address', async () => {
    expect(hub.url).toBe(`https://localhost:${hub.port}`)
    const { body, hsts } = await new Promise<{ body: string; hsts: unknown }>((ok, fail) =>
      httpsRequest({ host: '127.0.0.1', port: hub.port, path: '/healthz', ca }, (res) => {
        let b = ''
        res.on('data', (d) => (b += d))
        res.on('end', () => ok({ body: b, hsts: res.headers['strict-transport-security'] }))
      })
        .on('error', fail)
        .end()
    )
    expect(JSON.parse(body)).toEqual({ ok: true, role: 'primary', epoch: null })
    // browsers are told to use https only from now on
    expect(hsts).toBe('max-age=31536000')
    const plain = await new Promise<{ status: number; location: string; body: string }>((ok, fail) =>
      httpRequest(
        { host: '127.0.0.1', port: hub.port, path: '/login?x=1', headers: { host: `hub.lan:${hub.port}` } },
        (res) => {
          let b = ''
          res.on('data', (d) => (b += d))
          res.on('end', () => ok({ status: res.statusCode!, location: String(res.headers.location), body: b }))
        }
      )
        .on('error', fail)
        .end()
    )
    expect(plain).toMatchObject({ status: 308, location: `https://hub.lan:${hub.port}/login?x=1` })
    expect(plain.body).toContain(`https://hub.lan:${hub.port}/login?x=1`)
    // the contract over wss, trusting the hub's CA
    const ws = new WebSocket(`wss://127.0.0.1:${hub.port}/api/ws`, { ca })
    const answer = await new Promise<unknown>((ok, fail) => {
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'system.now', input: {} })))
      ws.once('message', (d) => ok(JSON.parse(String(d))))
      ws.once('error', fail)
    })
    ws.close()
    expect(answer).toMatchObject({ id: 1, ok: true, value: { timeZone: 'Asia/Shanghai' } })
    // without trusting it, a client refuses the hub
    const untrusted = new WebSocket(`wss://127.0.0.1:${hub.port}/api/ws`)
    await expect(
      new Promise((ok, fail) => (untrusted.once('open', ok), untrusted.once('error', fail)))
    ).rejects.toThrow(/certificate/)
    expect(readFileSync(join(env.dir, 'tls', 'ca.crt'), 'utf8')).toBe(ca)
  })
})
