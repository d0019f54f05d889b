import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { AppError } from '../errors'
import { hashFile } from '../hash-file'
import {
  MANIFEST_FILE,
  SIGNATURE_FILE,
  manifestText,
  signManifest,
  verifiedManifest,
  type ReleaseManifest
} from './update-signing'

/**
 * The centre's own update feed: installers an administrator publishes on the hub
 * (`npx leadline updates publish FILE…`) go into the data folder's `updates/` with the feed files
 * electron-updater's generic provider reads (`latest.yml` for Windows, `latest-linux.yml` for
 * Linux, `latest-mac.yml` for macOS: version, file names, sizes and SHA-512). The hub serves the
 * folder at /updates/ to every seat without login (range requests included, for resumed downloads);
 * the desktop checks it. Nothing is fetched from outside the centre.
 *
 * Only a signed release is published: `release.json` and its signature (update-signing.ts), made by
 * whoever releases LeadLine with `leadline updates sign`, lie beside the installers and must name
 * each of them with its SHA-512; they are published with them for the seats to verify.
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
  opts: { version?: string; now?: Date; publicKey?: string } = {}
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
  const release = signedRelease(dirname(files[0]), opts.publicKey)
  if (release.manifest.version !== version)
    throw new AppError('INVALID_INPUT', 'errors.updatesNotInRelease', {
      file: basename(plan[0].file),
      version: release.manifest.version
    })
  // every installer is the one that was signed: its name, size and SHA-512 in the manifest
  for (const p of plan) {
    const signed = release.manifest.files.find((f) => f.name === p.name)
    const sha512 = await hashFile(p.file, 'sha512', 'base64')
    if (!signed || signed.sha512 !== sha512 || signed.size !== statSync(p.file).size)
      throw new AppError('INVALID_INPUT', 'errors.updatesNotInRelease', {
        file: basename(p.file),
        version: release.manifest.version
      })
  }
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
  writeFileSync(join(folder, MANIFEST_FILE), release.text)
  writeFileSync(join(folder, SIGNATURE_FILE), release.signature)
  const at = opts.now ?? new Date()
  for (const [feed, list] of feeds) {
    // the AppImage first: it is what electron-updater installs on Linux unless the app came as a deb
    list.sort((a, b) => Number(/\.AppImage$/i.test(b.name)) - Number(/\.AppImage$/i.test(a.name)))
    writeFileSync(join(folder, `${feed}.part`), yaml(version, list, at))
    renameSync(join(folder, `${feed}.part`), join(folder, feed))
  }
  return { version, folder, feeds: [...feeds].map(([feed, list]) => ({ feed, files: list })) }
}

/** The release manifest and its signature in a folder, verified with the shipped key (or the one given). */
function signedRelease(
  folder: string,
  publicKey?: string
): { text: string; signature: string; manifest: ReleaseManifest } {
  const manifestFile = join(folder, MANIFEST_FILE)
  const signatureFile = join(folder, SIGNATURE_FILE)
  if (!existsSync(manifestFile) || !existsSync(signatureFile))
    throw new AppError('INVALID_INPUT', 'errors.updatesUnsigned', { folder })
  const text = readFileSync(manifestFile, 'utf8')
  const signature = readFileSync(signatureFile, 'utf8').trim()
  const manifest = verifiedManifest(text, signature, publicKey)
  if (!manifest) throw new AppError('INVALID_INPUT', 'errors.updatesBadSignature', { folder })
  return { text, signature, manifest }
}

/**
 * The releaser's side (`leadline updates sign --key KEY FILE…`): the manifest of these installers
 * (names as they will be published), signed, written beside them.
 */
export async function signRelease(
  files: string[],
  privatePem: string,
  opts: { version?: string } = {}
): Promise<{ version: string; manifest: string; signature: string }> {
  if (!files.length) throw new AppError('INVALID_INPUT', 'errors.updatesNoFiles')
  const entries: ReleaseManifest['files'] = []
  const versions = new Set<string | null>()
  for (const file of files) {
    if (!existsSync(file) || !statSync(file).isFile()) throw new AppError('NOT_FOUND', 'errors.fileNotFound', { file })
    if (!FEEDS.some((f) => f.pattern.test(file)))
      throw new AppError('INVALID_INPUT', 'errors.updatesNotInstaller', { file: basename(file) })
    const name = basename(file).replace(/\s+/g, '-')
    versions.add(opts.version ?? versionFromName(name))
    entries.push({ name, size: statSync(file).size, sha512: await hashFile(file, 'sha512', 'base64') })
  }
  if (versions.has(null)) throw new AppError('INVALID_INPUT', 'errors.updatesNoVersion', { file: basename(files[0]) })
  if (versions.size > 1)
    throw new AppError('INVALID_INPUT', 'errors.updatesMixedVersions', { versions: [...versions].join('、') })
  const version = [...versions][0]!
  const text = manifestText({ product: 'LeadLine', version, files: entries })
  const signature = signManifest(text, privatePem)
  const folder = dirname(files[0])
  writeFileSync(join(folder, MANIFEST_FILE), text)
  writeFileSync(join(folder, SIGNATURE_FILE), signature + '\n')
  return { version, manifest: join(folder, MANIFEST_FILE), signature: join(folder, SIGNATURE_FILE) }
}
