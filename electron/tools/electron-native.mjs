#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into node_modules/.leadline-electron/, leaving the
// Node build in node_modules/better-sqlite3 alone (the tests, the CLI and the hub run on Node).
// The desktop main process loads this copy through better-sqlite3's `nativeBinding` option.
// Needs the internet once (Electron's headers or a prebuilt binary); later runs are instant.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'))
const electronVersion = readJson(join(root, 'node_modules/electron/package.json')).version
const sqliteVersion = readJson(join(root, 'node_modules/better-sqlite3/package.json')).version
const target = join(root, 'node_modules/.leadline-electron')
const binary = join(target, 'better_sqlite3.node')
const stampFile = join(target, 'stamp.json')
const want = { electron: electronVersion, betterSqlite3: sqliteVersion, platform: process.platform, arch: process.arch }

if (existsSync(binary) && existsSync(stampFile) && JSON.stringify(readJson(stampFile)) === JSON.stringify(want))
  process.exit(0)

console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once)…`)
const stage = join(target, 'stage')
rmSync(stage, { recursive: true, force: true })
mkdirSync(join(stage, 'node_modules'), { recursive: true })
cpSync(join(root, 'node_modules/better-sqlite3'), join(stage, 'node_modules/better-sqlite3'), {
  recursive: true,
  filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`)
})
writeFileSync(
  join(stage, 'package.json'),
  JSON.stringify({ name: 'leadline-native-stage', version: '0.0.0', dependencies: { 'better-sqlite3': sqliteVersion } })
)
// A nodedir meant for Node's headers (as CI sets) would build against the wrong ABI here.
delete process.env.npm_config_nodedir
delete process.env.NPM_CONFIG_NODEDIR
try {
  const { rebuild } = await import('@electron/rebuild')
  await rebuild({ buildPath: stage, electronVersion, arch: process.arch, force: true, onlyModules: ['better-sqlite3'] })
} catch (err) {
  console.error(
    `Could not build better-sqlite3 for Electron ${electronVersion}: ${err?.message ?? err}\n` +
      'The desktop app needs this once, with internet access (Electron headers or a prebuilt binary).\n' +
      'The hub (npm run serve) and the tests do not need it.'
  )
  process.exit(1)
}
copyFileSync(join(stage, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), binary)
writeFileSync(stampFile, JSON.stringify(want))
rmSync(stage, { recursive: true, force: true })
console.log(`better-sqlite3 for Electron ready: ${binary}`)
