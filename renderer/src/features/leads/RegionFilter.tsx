import { Cascader } from 'antd'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { useInvalidateOn } from '../../api/ApiProvider'
import { useMethodQuery } from '../../api/queries'

export interface RegionValue {
  province?: string
  city?: string
}

/**
 * 号码归属地 as a filter: a province, or a city in it, from the places the pool's numbers are
 * actually from (with how many leads each), so nobody scrolls through 300 cities to find none.
 */
export function RegionFilter({ value, onChange }: { value: RegionValue; onChange: (v: RegionValue) => void }) {
  const { t } = useTranslation()
  const regions = useMethodQuery('leads.regions', {}, ['leads.regions'])
  useInvalidateOn('leads.changed', ['leads.regions'])
  const options = useMemo(() => {
    const byProvince = new Map<string, { count: number; cities: { city: string; leads: number }[] }>()
    for (const r of regions.data ?? []) {
      const p = byProvince.get(r.province) ?? { count: 0, cities: [] }
      p.count += r.leads
      p.cities.push({ city: r.city, leads: r.leads })
      byProvince.set(r.province, p)
    }
    return [...byProvince.entries()]
      .sort((a, b) => b[1].count - a[1].count)
      .map(([province, p]) => ({
        value: province,
        label: `${province}（${p.count}）`,
        children: p.cities.map((c) => ({ value: c.city, label: `${c.city}（${c.leads}）` }))
      }))
  }, [regions.data])
  const current = value.province ? (value.city ? [value.province, value.city] : [value.province]) : []
  return (
    <Cascader
      changeOnSelect
      allowClear
      showSearch
      style={{ width: 200 }}
      placeholder={t('leads.regionFilter')}
      aria-label={t('leads.regionFilter')}
      options={options}
      value={current}
      onChange={(v) => {
        const [province, city] = (v ?? []) as string[]
        onChange({ province, city })
      }}
      data-testid="region-filter"
    />
  )
}
