#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs bench/<name>.mjs against the production build and
// prints its figures; the last line is one JSON object of them.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const available = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .map((f) => f.replace(/\.mjs$/, ''))
const [name, ...args] = process.argv.slice(2)
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>\navailable: ${available.join(', ')}`)
  process.exit(name ? 1 : 0)
}
if (!existsSync(join(root, 'out/main/server.js'))) {
  console.error('building (out/ is missing)…')
  const b = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
  if (b.status !== 0) process.exit(b.status ?? 1)
}
const r = spawnSync(process.execPath, [join(here, `${name}.mjs`), ...args], {
  cwd: root,
  stdio: ['inherit', 'pipe', 'inherit'],
  encoding: 'utf8'
})
process.stdout.write(r.stdout)
const last = r.stdout.trim().split('\n').pop() ?? ''
try {
  JSON.parse(last)
} catch {
  console.error(`bench ${name}: the last line is not one JSON object`)
  process.exit(1)
}
process.exit(r.status ?? 1)
