import { useTranslation } from 'react-i18next'
import type { Locale } from '../../../shared/contract'
import { useApi } from '../api/ApiProvider'
import { applyLocale } from '../i18n'
import './plain.css'

const LANGUAGES: { label: string; value: Locale }[] = [
  { label: '中文', value: 'zh-CN' },
  { label: 'English', value: 'en' }
]

/** 中文 | English, as Ant Design's Segmented looks; plain, for the login page and the phone's menu too. */
export function LanguageSwitch() {
  const { i18n } = useTranslation()
  const api = useApi()
  return (
    <div className="plain-segmented" role="group" aria-label="language">
      {LANGUAGES.map((l) => (
        <button
          key={l.value}
          type="button"
          lang={l.value}
          aria-pressed={i18n.language === l.value}
          onClick={() => {
            void applyLocale(l.value)
            api.setLocale(l.value)
          }}
        >
          {l.label}
        </button>
      ))}
    </div>
  )
}
