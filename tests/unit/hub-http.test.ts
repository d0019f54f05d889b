import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { startHub, type Hub } from '../../electron/server/hub'
import { loginAs, makeCore } from '../helpers/core'

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
let hub: Hub
let staticDir: string

beforeEach(async () => {
  env = await makeCore()
  staticDir = join(env.dir, 'static')
  mkdirSync(join(staticDir, 'assets'), { recursive: true })
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>LeadLine</title>')
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(env.dir, 'secret.txt'), 'not for the web')
  hub = await startHub({ core: env.core, port: 0, staticDir })
})
afterEach(async () => {
  await hub.close()
  env.cleanup()
})

/** A raw GET, so paths are sent exactly as written (fetch would normalise `..`). */
function get(
  url: string,
  path: string,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: string; raw: Buffer; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET', headers }, (res) => {
      const parts: Buffer[] = []
      res.on('data', (d: Buffer) => parts.push(d))
      res.on('end', () => {
        const raw = Buffer.concat(parts)
        resolve({ status: res.statusCode ?? 0, body: raw.toString(), raw, headers: res.headers })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('hub HTTP', () => {
  it('serves the renderer with security headers, and index.html for app routes', async () => {
    const root = await get(hub.url, '/')
    expect(root.status).toBe(200)
    expect(root.body).toContain('<title>LeadLine</title>')
    expect(root.headers['content-security-policy']).toContain("script-src 'self'")
    expect(root.headers['x-frame-options']).toBe('DENY')
    expect((await get(hub.url, '/assets/app.js')).headers['cache-control']).toContain('immutable')
    expect((await get(hub.url, '/users')).body).toContain('<title>LeadLine</title>')
    expect((await get(hub.url, '/assets/missing.js')).status).toBe(404)
  })

  it('sends the precompressed file a browser takes, answers a revalidation with 304, caches hashed assets for good', async () => {
    const code = `export const pages = ${JSON.stringify('拨号工作台 '.repeat(400))}`
    const hub2Dir = join(env.dir, 'static2')
    mkdirSync(join(hub2Dir, 'assets'), { recursive: true })
    writeFileSync(join(hub2Dir, 'index.html'), `<!doctype html><title>LeadLine</title>${' '.repeat(2000)}`)
    writeFileSync(join(hub2Dir, 'assets', 'desk-Ab12.js'), code)
    writeFileSync(join(hub2Dir, 'assets', 'desk-Ab12.js.br'), brotliCompressSync(code))
    writeFileSync(join(hub2Dir, 'assets', 'desk-Ab12.js.gz'), gzipSync(code))
    const hub2 = await startHub({ core: env.core, port: 0, staticDir: hub2Dir })
    try {
      const br = await get(hub2.url, '/assets/desk-Ab12.js', { 'Accept-Encoding': 'gzip, deflate, br' })
      expect(br.status).toBe(200)
      expect(br.headers['content-encoding']).toBe('br')
      expect(brotliDecompressSync(br.raw).toString()).toBe(code)
      expect(br.raw.length).toBeLessThan(code.length / 10)
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable')
      expect(br.headers.vary).toContain('Accept-Encoding')
      expect(br.headers['content-security-policy']).toContain("script-src 'self'")
      const gz = await get(hub2.url, '/assets/desk-Ab12.js', { 'Accept-Encoding': 'gzip' })
      expect(gz.headers['content-encoding']).toBe('gzip')
      expect(gunzipSync(gz.raw).toString()).toBe(code)
      const plain = await get(hub2.url, '/assets/desk-Ab12.js')
      expect(plain.headers['content-encoding']).toBeUndefined()
      expect(plain.body).toBe(code)
      // a second visit revalidates: 304 and no body
      const etag = br.headers.etag as string
      expect(etag).toBeTruthy()
      expect(br.headers['last-modified']).toBeTruthy()
      const again = await get(hub2.url, '/assets/desk-Ab12.js', { 'If-None-Match': etag, 'Accept-Encoding': 'br' })
      expect(again.status).toBe(304)
      expect(again.raw.length).toBe(0)
      // index.html is checked on every load, and has its validator too
      const index = await get(hub2.url, '/')
      expect(index.headers['cache-control']).toBe('no-cache')
      expect((await get(hub2.url, '/', { 'If-None-Match': index.headers.etag as string })).status).toBe(304)
      expect((await get(hub2.url, '/desk')).body).toContain('<title>LeadLine</title>')
    } finally {
      await hub2.close()
    }
  })

  it('no path escapes the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const r = await get(hub.url, path)
      expect(r.body, path).not.toContain('not for the web')
      expect([400, 403, 404, 200]).toContain(r.status)
    }
  })

  it('downloads: an offered file is served under its token, with its name; unknown or expired tokens are not', async () => {
    const file = join(env.dir, 'report.csv')
    writeFileSync(file, 'a,b\n1,2\n')
    const token = env.core.downloads.offer({ file, name: '日报.csv', contentType: 'text/csv', ttlMs: 60_000 })
    const r = await get(hub.url, `/api/download/${token}`)
    expect(r.status).toBe(200)
    expect(r.body).toBe('a,b\n1,2\n')
    expect(r.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('日报.csv')}`)
    expect((await get(hub.url, '/api/download/nope')).status).toBe(404)
    env.clock.advance(61_000)
    expect((await get(hub.url, `/api/download/${token}`)).status).toBe(404)
  })

  it('a report link stops working when the session it was made in ends (a logout), as it does when it expires', async () => {
    const sup = await loginAs(env.core, 'supervisor')
    const to = env.clock.now()
    const from = new Date(to.getTime() - 86_400_000)
    const r = await sup.invoke('reports.export', {
      report: 'operators',
      from: from.toISOString(),
      to: to.toISOString()
    })
    if (!r.ok) throw new Error(r.error.message)
    const { token } = r.value as { token: string }
    expect((await get(hub.url, `/api/download/${token}`)).status).toBe(200)
    await sup.invoke('auth.logout', {})
    expect((await get(hub.url, `/api/download/${token}`)).status).toBe(404)
  })

  it('health check answers: this hub writes (no lease: no epoch)', async () => {
    expect(JSON.parse((await get(hub.url, '/healthz')).body)).toEqual({ ok: true, role: 'primary', epoch: null })
  })
})
