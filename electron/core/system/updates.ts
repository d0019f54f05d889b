import { copyFileSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { AppError } from '../errors'
import { hashFile } from '../hash-file'

/**
 * The centre's own update feed: installers an administrator publishes on the hub
 * (`npx leadline updates publish FILE…`) go into the data folder's `updates/` with the feed files
 * electron-updater's generic provider reads (`latest.yml` for Windows, `latest-linux.yml` for
 * Linux, `latest-mac.yml` for macOS: version, file names, sizes and SHA-512). The hub serves the
 * folder at /updates/ to every seat without login (range requests included, for resumed downloads);
 * the desktop checks it. Nothing is fetched from outside the centre.
 */
export const UPDATES_FOLDER = 'updates'

const FEEDS = [
  { feed: 'latest.yml', pattern: /\.(exe|msi)$/i },
  { feed: 'latest-linux.yml', pattern: /\.(AppImage|deb|rpm)$/i },
  { feed: 'latest-mac.yml', pattern: /\.(dmg|zip)$/i }
] as const

export interface PublishedFile {
  name: string
  size: number
  sha512: string
}

export interface PublishResult {
  version: string
  folder: string
  feeds: { feed: string; files: PublishedFile[] }[]
}

/** A version from an installer's name: LeadLine Setup 0.2.0.exe, LeadLine-0.2.0.AppImage, leadline_0.2.0_amd64.deb. */
export function versionFromName(name: string): string | null {
  return (
    /(?:^|[^\d.])(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)(?=[^\d]|$)/.exec(
      name.replace(/\.(exe|msi|AppImage|deb|rpm|dmg|zip)$/i, '')
    )?.[1] ?? null
  )
}

function yaml(version: string, files: PublishedFile[], at: Date): string {
  const lines = [`version: ${version}`, 'files:']
  for (const f of files) lines.push(`  - url: ${f.name}`, `    sha512: ${f.sha512}`, `    size: ${f.size}`)
  lines.push(`path: ${files[0].name}`, `sha512: ${files[0].sha512}`, `releaseDate: '${at.toISOString()}'`)
  return lines.join('\n') + '\n'
}

/**
 * Checks every file first (an installer of a known kind, one version for all), then copies them in
 * and writes the feeds — a wrong file changes nothing. Names are kept without spaces (the feed's
 * URLs). A file's `.blockmap` beside it (differential downloads) goes with it.
 */
export async function publishUpdates(
  dataDir: string,
  files: string[],
  opts: { version?: string; now?: Date } = {}
): Promise<PublishResult> {
  if (!files.length) throw new AppError('INVALID_INPUT', 'errors.updatesNoFiles')
  if (opts.version !== undefined && !/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$/.test(opts.version))
    throw new AppError('INVALID_INPUT', 'errors.badOption', { name: '--version', value: opts.version })
  const plan = files.map((file) => {
    if (!existsSync(file) || !statSync(file).isFile()) throw new AppError('NOT_FOUND', 'errors.fileNotFound', { file })
    const kind = FEEDS.find((f) => f.pattern.test(file))
    if (!kind) throw new AppError('INVALID_INPUT', 'errors.updatesNotInstaller', { file: basename(file) })
    return { file, feed: kind.feed, name: basename(file).replace(/\s+/g, '-') }
  })
  const versions = new Set(plan.map((p) => opts.version ?? versionFromName(p.name)))
  if (versions.has(null))
    throw new AppError('INVALID_INPUT', 'errors.updatesNoVersion', {
      file: basename(plan.find((p) => !(opts.version ?? versionFromName(p.name)))!.file)
    })
  if (versions.size > 1)
    throw new AppError('INVALID_INPUT', 'errors.updatesMixedVersions', { versions: [...versions].join('、') })
  const version = [...versions][0]!
  const folder = join(dataDir, UPDATES_FOLDER)
  mkdirSync(folder, { recursive: true })
  const feeds = new Map<string, PublishedFile[]>()
  for (const p of plan) {
    const target = join(folder, p.name)
    // copied under a temporary name first: a seat never downloads half a file under the real one
    copyFileSync(p.file, `${target}.part`)
    renameSync(`${target}.part`, target)
    if (existsSync(`${p.file}.blockmap`)) copyFileSync(`${p.file}.blockmap`, `${target}.blockmap`)
    const entry = { name: p.name, size: statSync(target).size, sha512: await hashFile(target, 'sha512', 'base64') }
    feeds.set(p.feed, [...(feeds.get(p.feed) ?? []), entry])
  }
  const at = opts.now ?? new Date()
  for (const [feed, list] of feeds) {
    // the AppImage first: it is what electron-updater installs on Linux unless the app came as a deb
    list.sort((a, b) => Number(/\.AppImage$/i.test(b.name)) - Number(/\.AppImage$/i.test(a.name)))
    writeFileSync(join(folder, `${feed}.part`), yaml(version, list, at))
    renameSync(join(folder, `${feed}.part`), join(folder, feed))
  }
  return { version, folder, feeds: [...feeds].map(([feed, list]) => ({ feed, files: list })) }
}
