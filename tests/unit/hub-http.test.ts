import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { startHub, type Hub } from '../../electron/server/hub'
import { followLanHubSetting } from '../../electron/main/lan-hub'
import { loginAs, makeCore, quietLogger } from '../helpers/core'

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
  path: string
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
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

  it('health check answers', async () => {
    expect(JSON.parse((await get(hub.url, '/healthz')).body)).toEqual({ ok: true })
  })
})

describe('sharing a desktop seat’s pool on the LAN', () => {
  it('starts and stops the hub as an administrator switches the setting', async () => {
    const lan = followLanHubSetting(env.core, staticDir, quietLogger)
    try {
      const admin = await loginAs(env.core, 'admin')
      const port = 20000 + Math.floor(Math.random() * 20000)
      await admin.invoke('settings.update', { lanHub: { enabled: true, host: '127.0.0.1', port } })
      await expect
        .poll(
          () =>
            get(`http://127.0.0.1:${port}`, '/healthz').then(
              (r) => r.status,
              () => 0
            ),
          { timeout: 5000 }
        )
        .toBe(200)
      await admin.invoke('settings.update', { lanHub: { enabled: false } })
      await expect
        .poll(
          () =>
            get(`http://127.0.0.1:${port}`, '/healthz').then(
              (r) => r.status,
              () => 0
            ),
          { timeout: 5000 }
        )
        .toBe(0)
    } finally {
      await lan.stop()
    }
  })
})
