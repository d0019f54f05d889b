import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import { zhCN } from '../../shared/i18n/zh-CN'
import type { Locale } from '../../shared/contract'
import { LOCALES } from '../../shared/contract/enums'

// (not from shared/i18n's index: that would bring every catalog into the first chunk)
const DEFAULT_LOCALE: Locale = 'zh-CN'

export const LOCALE_KEY = 'leadline.locale'

export function storedLocale(): Locale {
  const stored = localStorage.getItem(LOCALE_KEY)
  return (LOCALES as readonly string[]).includes(stored ?? '') ? (stored as Locale) : DEFAULT_LOCALE
}

// Chinese is in the first chunk; English comes when someone picks it (most seats never do).
void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN } },
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  interpolation: { escapeValue: false },
  returnNull: false
})

async function catalogOf(locale: Locale): Promise<void> {
  if (locale === 'en' && !i18n.hasResourceBundle('en', 'translation'))
    i18n.addResourceBundle('en', 'translation', (await import('../../shared/i18n/en')).en)
}

export async function applyLocale(locale: Locale): Promise<void> {
  localStorage.setItem(LOCALE_KEY, locale)
  document.documentElement.lang = locale
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en')
  await catalogOf(locale)
  await i18n.changeLanguage(locale)
}

/** The seat's language, ready before the first render. */
export const localeReady = applyLocale(storedLocale())

export default i18n
