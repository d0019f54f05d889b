import type { AbstractNode, IconDefinition } from '@ant-design/icons-svg/es/types'
import { createElement, type ReactElement } from 'react'

function node(n: AbstractNode, key?: number): ReactElement {
  return createElement(n.tag, { key, ...n.attrs }, ...(n.children ?? []).map((c, i) => node(c, i)))
}

/**
 * An Ant Design icon from its SVG definition (`@ant-design/icons-svg/es/asn/…`), drawn as Ant Design's
 * own icon component draws it (the same markup and classes, so menus and buttons style it alike),
 * without the icon library's runtime: the first screen and the phone's pages use these.
 */
export function Icon({ def }: { def: IconDefinition }) {
  const svg = typeof def.icon === 'function' ? def.icon('currentColor', '#e6f4ff') : def.icon
  return (
    <span role="img" aria-label={def.name} className={`anticon anticon-${def.name}`}>
      {createElement(
        'svg',
        { ...svg.attrs, width: '1em', height: '1em', fill: 'currentColor', 'aria-hidden': 'true' },
        ...(svg.children ?? []).map((c, i) => node(c, i))
      )}
    </span>
  )
}
