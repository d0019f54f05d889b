import { Select, type SelectProps } from 'antd'
import { useMemo } from 'react'
import { keys, useMethodQuery } from '../api/queries'

/**
 * The district picker: every county-level division of China (the centre's city first), found by
 * typing any part of its name, its former name, its city or province, or its code (4501, 450103).
 */
export function DistrictSelect(props: Omit<SelectProps<string>, 'options' | 'showSearch' | 'filterOption'>) {
  const districts = useMethodQuery('districts.list', {}, keys.districts)
  const options = useMemo(
    () =>
      (districts.data ?? []).map((d) => ({
        value: d.code,
        label: `${d.name} · ${d.city}`,
        search: [d.name, d.code, d.city, d.province, ...d.aliases].join(' ')
      })),
    [districts.data]
  )
  return (
    <Select<string>
      {...props}
      showSearch
      loading={districts.isLoading}
      options={options}
      filterOption={(input, o) => !!o && o.search.includes(input.trim())}
      popupMatchSelectWidth={false}
    />
  )
}
