import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join, resolve } from 'node:path'
import { startHub, type Hub } from '../../electron/server/hub'
import { publishUpdates, signRelease, versionFromName } from '../../electron/core/system/updates'
import { newSigningKeys, verifiedManifest } from '../../electron/core/system/update-signing'
import { makeCore } from '../helpers/core'

/** The built CLI, as an administrator runs it on the hub's machine. */
const CLI = resolve('out/main/cli.js')

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
let hub: Hub
let src: string

beforeEach(async () => {
  env = await makeCore()
  hub = await startHub({ core: env.core, port: 0 })
  src = join(env.dir, 'dist')
  mkdirSync(src)
})
afterEach(async () => {
  await hub.close()
  env.cleanup()
})

function publish(args: string[]): { code: number; out: string; err: string } {
  try {
    const out = execFileSync(process.execPath, [CLI, 'updates', 'publish', ...args, '--data', env.dir, '--json'], {
      encoding: 'utf8',
      env: { ...process.env, LEADLINE_LANG: 'zh_CN.UTF-8' }
    })
    return { code: 0, out, err: '' }
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string }
    return { code: x.status, out: x.stdout, err: x.stderr }
  }
}

function get(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET'
): Promise<{ status: number; raw: Buffer; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(hub.url)
  return new Promise((done, fail) => {
    const req = request({ host: u.hostname, port: u.port, path, method, headers }, (res) => {
      const parts: Buffer[] = []
      res.on('data', (d: Buffer) => parts.push(d))
      res.on('end', () => done({ status: res.statusCode ?? 0, raw: Buffer.concat(parts), headers: res.headers }))
    })
    req.on('error', fail)
    req.end()
  })
}

const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('base64')

describe('the desktop update feed on the hub', () => {
  it('publishes installers with their feeds, and every seat reads them without login, resuming by range', async () => {
    const exe = randomBytes(300_000)
    const appImage = randomBytes(200_000)
    writeFileSync(join(src, 'LeadLine Setup 0.2.0.exe'), exe)
    writeFileSync(join(src, 'LeadLine Setup 0.2.0.exe.blockmap'), 'blockmap')
    writeFileSync(join(src, 'LeadLine-0.2.0.AppImage'), appImage)
    const files = [join(src, 'LeadLine Setup 0.2.0.exe'), join(src, 'LeadLine-0.2.0.AppImage')]
    // whoever releases signs them (a test key here: the shipped key's private half is not in the repository)
    const keys = newSigningKeys()
    await signRelease(files, keys.privatePem)
    const r = await publishUpdates(env.dir, files, { publicKey: keys.publicPem })
    expect(r).toMatchObject({
      version: '0.2.0',
      feeds: [
        { feed: 'latest.yml', files: [{ name: 'LeadLine-Setup-0.2.0.exe', size: 300_000, sha512: sha512(exe) }] },
        { feed: 'latest-linux.yml', files: [{ name: 'LeadLine-0.2.0.AppImage', size: 200_000 }] }
      ]
    })

    // the feed electron-updater's generic provider reads, from the hub, without login
    const feed = await get('/updates/latest.yml')
    expect(feed.status).toBe(200)
    expect(feed.headers['content-type']).toMatch(/yaml/)
    const yml = feed.raw.toString()
    expect(yml).toContain('version: 0.2.0')
    expect(yml).toContain('path: LeadLine-Setup-0.2.0.exe')
    expect(yml).toMatch(new RegExp(`sha512: ${sha512(exe).replace(/[+/]/g, '\\$&')}\\n`))
    expect(yml).toContain('size: 300000')

    // the installer whole: what it downloads hashes to the feed's SHA-512
    const whole = await get('/updates/LeadLine-Setup-0.2.0.exe')
    expect(whole.status).toBe(200)
    expect(whole.headers['accept-ranges']).toBe('bytes')
    expect(sha512(whole.raw)).toBe(sha512(exe))
    // a download broken off resumes where it stopped
    const part = await get('/updates/LeadLine-Setup-0.2.0.exe', { Range: 'bytes=100000-' })
    expect(part.status).toBe(206)
    expect(part.headers['content-range']).toBe('bytes 100000-299999/300000')
    expect(part.raw.equals(exe.subarray(100_000))).toBe(true)
    expect((await get('/updates/LeadLine-Setup-0.2.0.exe', { Range: 'bytes=400000-' })).status).toBe(416)
    expect((await get('/updates/LeadLine-Setup-0.2.0.exe.blockmap')).raw.toString()).toBe('blockmap')
    expect((await get('/updates/latest-linux.yml')).raw.toString()).toContain('path: LeadLine-0.2.0.AppImage')
    // the signed release goes with them, for the seats to verify
    const manifest = (await get('/updates/release.json')).raw.toString()
    const signature = (await get('/updates/release.json.sig')).raw.toString()
    expect(verifiedManifest(manifest, signature, keys.publicPem)).toMatchObject({
      version: '0.2.0',
      files: [
        { name: 'LeadLine-Setup-0.2.0.exe', size: 300_000, sha512: sha512(exe) },
        { name: 'LeadLine-0.2.0.AppImage' }
      ]
    })

    // nothing else of the data folder, and nothing but reading
    expect((await get('/updates/../leadline.db')).status).toBe(404)
    expect((await get('/updates/%2e%2e%2fleadline.db')).status).toBe(404)
    expect((await get('/updates/missing.exe')).status).toBe(404)
    expect((await get('/updates/latest.yml', {}, 'POST')).status).toBe(405)
  })

  it('refuses a wrong file with the reason, and publishes nothing', async () => {
    writeFileSync(join(src, 'notes.txt'), 'x')
    writeFileSync(join(src, 'LeadLine-0.3.0.AppImage'), 'x')
    writeFileSync(join(src, 'LeadLine-Setup.exe'), 'x')
    writeFileSync(join(src, 'LeadLine-0.2.9.deb'), 'x')
    const notInstaller = publish([join(src, 'LeadLine-0.3.0.AppImage'), join(src, 'notes.txt')])
    expect(notInstaller.code).not.toBe(0)
    expect(JSON.parse(notInstaller.out).error.message).toBe(
      'notes.txt 不是桌面版安装包（.exe、.msi、.AppImage、.deb、.rpm、.dmg、.zip）'
    )
    const noVersion = publish([join(src, 'LeadLine-Setup.exe')])
    expect(JSON.parse(noVersion.out).error.message).toBe(
      '看不出 LeadLine-Setup.exe 的版本号，请用 --version 指定（例如 --version 0.2.0）'
    )
    const mixed = publish([join(src, 'LeadLine-0.3.0.AppImage'), join(src, 'LeadLine-0.2.9.deb')])
    expect(JSON.parse(mixed.out).error.message).toContain('版本号不一致')
    expect(existsSync(join(env.dir, 'updates')) ? readdirSync(join(env.dir, 'updates')) : []).toEqual([])
    // a version given by hand names a file that does not carry one
    const keys = newSigningKeys()
    await signRelease([join(src, 'LeadLine-Setup.exe')], keys.privatePem, { version: '0.4.0' })
    await publishUpdates(env.dir, [join(src, 'LeadLine-Setup.exe')], { version: '0.4.0', publicKey: keys.publicPem })
    expect(readFileSync(join(env.dir, 'updates', 'latest.yml'), 'utf8')).toContain('version: 0.4.0')
  })

  it('publishes only what LeadLine’s releaser signed: unsigned, signed by another key, or changed after signing is refused', async () => {
    const exe = join(src, 'LeadLine-Setup-0.5.0.exe')
    writeFileSync(exe, randomBytes(10_000))
    const unsigned = publish([exe])
    expect(unsigned.code).not.toBe(0)
    expect(JSON.parse(unsigned.out).error.message).toContain('没有签名的发布说明')
    // signed, but not with the key the app ships (the built CLI checks with that one)
    const other = newSigningKeys()
    await signRelease([exe], other.privatePem)
    expect(JSON.parse(publish([exe]).out).error.message).toContain('不是 LeadLine 发布方的签名')
    // the right key, then the installer changed: its SHA-512 is no longer the signed one
    writeFileSync(exe, randomBytes(10_000))
    await expect(publishUpdates(env.dir, [exe], { publicKey: other.publicPem })).rejects.toMatchObject({
      key: 'errors.updatesNotInRelease'
    })
    // a changed byte of the manifest breaks the signature
    const manifest = join(src, 'release.json')
    await signRelease([exe], other.privatePem)
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('0.5.0', '0.5.1'))
    await expect(publishUpdates(env.dir, [exe], { publicKey: other.publicPem })).rejects.toMatchObject({
      key: 'errors.updatesBadSignature'
    })
    expect(existsSync(join(env.dir, 'updates')) ? readdirSync(join(env.dir, 'updates')) : []).toEqual([])
  })

  it('reads the version from the names electron-builder gives', () => {
    expect(versionFromName('LeadLine Setup 0.2.0.exe')).toBe('0.2.0')
    expect(versionFromName('LeadLine-1.10.3.AppImage')).toBe('1.10.3')
    expect(versionFromName('leadline_0.2.0_amd64.deb')).toBe('0.2.0')
    expect(versionFromName('LeadLine-2.0.0-beta.1.dmg')).toBe('2.0.0-beta.1')
    expect(versionFromName('LeadLine-Setup.exe')).toBeNull()
  })
})
