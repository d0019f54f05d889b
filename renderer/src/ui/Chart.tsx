import { useEffect, useRef } from 'react'
import { Empty } from 'antd'
import { useTranslation } from 'react-i18next'
import * as echarts from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { SVGRenderer } from 'echarts/renderers'
import type { EChartsCoreOption } from 'echarts/core'

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer])

/**
 * The layout every bar chart of ours uses: the legend on top in its own band, the plot below it
 * with room for its axis labels (turned when there are many), so nothing is drawn over anything.
 */
export function barLayout(
  categories: number
): Pick<EChartsCoreOption, 'legend' | 'grid'> & { axisLabel: Record<string, unknown> } {
  return {
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    axisLabel: { interval: 0, hideOverlap: true, rotate: categories > 6 ? 30 : 0 }
  }
}

/**
 * An Apache ECharts chart (SVG, so its text is real text) that follows its option and its
 * container's size; with no data it says so instead of drawing empty axes.
 */
export function Chart({
  option,
  height = 320,
  testId,
  empty = false
}: {
  option: EChartsCoreOption
  height?: number
  testId?: string
  empty?: boolean
}) {
  const { t } = useTranslation()
  const box = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)
  useEffect(() => {
    if (!box.current || empty) return
    const c = echarts.init(box.current, undefined, { renderer: 'svg' })
    chart.current = c
    const ro = new ResizeObserver(() => c.resize())
    ro.observe(box.current)
    return () => {
      ro.disconnect()
      c.dispose()
      chart.current = null
    }
  }, [empty])
  useEffect(() => {
    chart.current?.setOption(option, true)
  }, [option, empty])
  if (empty)
    return (
      // a node of its own: ECharts empties the chart's node when it is disposed
      <div
        key="empty"
        style={{ width: '100%', height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}
        data-testid={testId}
        data-empty="true"
      >
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.noData')} />
      </div>
    )
  return <div key="chart" ref={box} style={{ width: '100%', height }} data-testid={testId} />
}
