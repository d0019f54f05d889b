import { Segmented } from 'antd'
import { useTranslation } from 'react-i18next'
import type { Locale } from '../../../shared/contract'
import { useApi } from '../api/ApiProvider'
import { applyLocale } from '../i18n'

export function LanguageSwitch() {
  const { i18n } = useTranslation()
  const api = useApi()
  return (
    <Segmented<Locale>
      size="small"
      aria-label="language"
      value={i18n.language as Locale}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en' }
      ]}
      onChange={(l) => {
        void applyLocale(l)
        api.setLocale(l)
      }}
    />
  )
}
