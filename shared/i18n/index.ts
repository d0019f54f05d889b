import type { Locale } from '../contract/common'
import { en } from './en'
import { zhCN, type Catalog } from './zh-CN'

export const DEFAULT_LOCALE: Locale = 'zh-CN'
export const catalogs: Record<Locale, Catalog> = { 'zh-CN': zhCN, en }
export type { Catalog }

type Params = Record<string, string | number>

/** Looks a dotted key up in a catalog and fills `{{name}}` placeholders (i18next's syntax). */
export function translate(locale: Locale, key: string, params?: Params): string {
  let node: unknown = catalogs[locale] ?? catalogs[DEFAULT_LOCALE]
  for (const part of key.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined
  }
  if (typeof node !== 'string') return key
  return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(params?.[name] ?? ''))
}

export function hasKey(locale: Locale, key: string): boolean {
  return translate(locale, key) !== key
}
