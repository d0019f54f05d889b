import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import { catalogs, DEFAULT_LOCALE } from '../../shared/i18n'
import { localeSchema, type Locale } from '../../shared/contract'

export const LOCALE_KEY = 'leadline.locale'

export function storedLocale(): Locale {
  const parsed = localeSchema.safeParse(localStorage.getItem(LOCALE_KEY))
  return parsed.success ? parsed.data : DEFAULT_LOCALE
}

void i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: catalogs['zh-CN'] },
    en: { translation: catalogs.en }
  },
  lng: storedLocale(),
  fallbackLng: DEFAULT_LOCALE,
  interpolation: { escapeValue: false },
  returnNull: false
})

export function applyLocale(locale: Locale): void {
  localStorage.setItem(LOCALE_KEY, locale)
  document.documentElement.lang = locale
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en')
  void i18n.changeLanguage(locale)
}

applyLocale(storedLocale())

export default i18n
