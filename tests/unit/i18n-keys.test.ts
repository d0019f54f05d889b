import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { catalogs } from '../../shared/i18n'

/** Every source file of the UI. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [p] : []
  })
}

function lookup(catalog: unknown, key: string): unknown {
  let node = catalog
  for (const part of key.split('.'))
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined
  return node
}

/**
 * Keys the UI asks for: t('a.b'), t("a.b"), and the fixed part of t(`a.b.${x}`) (which must name a
 * section of the catalog). Also keys handed over as data: key: 'a.b' and the like.
 */
function usedKeys(): { file: string; key: string; dynamic: boolean }[] {
  const out: { file: string; key: string; dynamic: boolean }[] = []
  for (const file of [
    ...sources('renderer/src'),
    ...sources('electron/core'),
    ...sources('electron/cli'),
    ...sources('electron/main')
  ]) {
    const text = readFileSync(file, 'utf8')
    // t('a.b', { returnObjects: true }) asks for a section of the catalog
    for (const m of text.matchAll(
      /\b(?:t|translate)\(\s*(?:[a-zA-Z.]+,\s*)?'([a-zA-Z0-9_]+\.[a-zA-Z0-9_.]+)'(,\s*\{\s*returnObjects: true)?/g
    ))
      out.push({ file, key: m[1], dynamic: !!m[2] })
    for (const m of text.matchAll(/\b(?:t|translate)\(\s*(?:[a-zA-Z.]+,\s*)?`([a-zA-Z0-9_.]+)\.\$\{/g))
      out.push({ file, key: m[1], dynamic: true })
    for (const m of text.matchAll(/\bkey: '([a-z][a-zA-Z0-9]*\.[a-zA-Z0-9_.]+)'/g))
      out.push({ file, key: m[1], dynamic: false })
    for (const m of text.matchAll(/new AppError\('[A-Z_]+',\s*'([a-z][a-zA-Z0-9]*\.[a-zA-Z0-9_.]+)'/g))
      out.push({ file, key: m[1], dynamic: false })
  }
  return out
}

describe('i18n', () => {
  const keys = usedKeys()

  it('finds the keys the UI uses', () => {
    expect(keys.length).toBeGreaterThan(500)
  })

  for (const [locale, catalog] of Object.entries(catalogs)) {
    it(`every key the code asks for is in the ${locale} catalog (a missing one would show as raw text)`, () => {
      const missing = keys.filter(({ key, dynamic }) => {
        const node = lookup(catalog, key)
        return dynamic ? typeof node !== 'object' || node === null : typeof node !== 'string'
      })
      expect(missing.map((m) => `${m.file}: ${m.key}${m.dynamic ? '.*' : ''}`)).toEqual([])
    })
  }

  it('both catalogs have the same keys', () => {
    const flat = (node: unknown, prefix = ''): string[] =>
      typeof node === 'object' && node !== null
        ? Object.entries(node).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k))
        : [prefix]
    expect(flat(catalogs.en).sort()).toEqual(flat(catalogs['zh-CN']).sort())
  })
})
