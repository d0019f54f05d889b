import type { ComponentProps, ReactNode } from 'react'
import CheckCircleFilled from '@ant-design/icons-svg/es/asn/CheckCircleFilled'
import CloseCircleFilled from '@ant-design/icons-svg/es/asn/CloseCircleFilled'
import ExclamationCircleFilled from '@ant-design/icons-svg/es/asn/ExclamationCircleFilled'
import InfoCircleFilled from '@ant-design/icons-svg/es/asn/InfoCircleFilled'
import { Icon } from './Icon'
import './plain.css'

const ALERT_ICONS = {
  error: CloseCircleFilled,
  warning: ExclamationCircleFilled,
  info: InfoCircleFilled,
  success: CheckCircleFilled
}

/**
 * The few pieces the first screen and the phone's pages need, in plain HTML and CSS that look like
 * Ant Design's (same sizes, colours and classes of behaviour): the login page and a field agent's
 * 我的拜访 come down a phone line without the component library, which the other pages load when
 * first opened (features/shell/with-ant.tsx).
 */

export function PlainAlert({
  type,
  message,
  banner = false,
  testId
}: {
  type: 'error' | 'warning' | 'info' | 'success'
  message: ReactNode
  banner?: boolean
  testId?: string
}) {
  return (
    <div
      role="alert"
      className={`plain-alert plain-alert-${type}${banner ? ' plain-alert-banner' : ''}`}
      data-testid={testId}
    >
      <span className="plain-alert-mark">
        <Icon def={ALERT_ICONS[type]} />
      </span>
      <span>{message}</span>
    </div>
  )
}

export function PlainTag({ color, children }: { color?: 'blue' | 'green' | 'orange'; children: ReactNode }) {
  return <span className={`plain-tag${color ? ` plain-tag-${color}` : ''}`}>{children}</span>
}

/** A spinner with what is loading, for a whole page. */
export function PlainSpin({ tip }: { tip: string }) {
  return (
    <div className="plain-spin" role="status" aria-live="polite">
      <span className="plain-spin-dot" aria-hidden="true" />
      <span>{tip}</span>
    </div>
  )
}

/** The outline of what is coming (Ant Design's Skeleton, still). */
export function PlainSkeleton({ rows = 3, testId }: { rows?: number; testId?: string }) {
  return (
    <div className="plain-skeleton" data-testid={testId} aria-busy="true">
      <div className="plain-skeleton-title" />
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="plain-skeleton-row" style={i === rows - 1 ? { width: '61%' } : undefined} />
      ))}
    </div>
  )
}

export function PlainEmpty({ description }: { description: string }) {
  return (
    <div className="plain-empty">
      <svg width="64" height="41" viewBox="0 0 64 41" aria-hidden="true">
        <g transform="translate(0 1)" fill="none" fillRule="evenodd">
          <ellipse fill="#f5f5f5" cx="32" cy="33" rx="32" ry="7" />
          <g fillRule="nonzero" stroke="#d9d9d9">
            <path d="M55 12.76L44.854 1.258C44.367.474 43.656 0 42.907 0H21.093c-.749 0-1.46.474-1.947 1.257L9 12.761V22h46v-9.24z" />
            <path
              d="M41.613 15.931c0-1.605.994-2.93 2.227-2.931H55v18.137C55 33.26 53.68 35 52.05 35h-40.1C10.32 35 9 33.259 9 31.137V13h11.16c1.233 0 2.227 1.323 2.227 2.928v.022c0 1.605 1.005 2.901 2.237 2.901h14.752c1.232 0 2.237-1.308 2.237-2.913v-.007z"
              fill="#fafafa"
            />
          </g>
        </g>
      </svg>
      <div>{description}</div>
    </div>
  )
}

type Look = { kind?: 'primary' | 'default' | 'text'; icon?: ReactNode; block?: boolean; loading?: boolean }

const buttonClass = ({ kind = 'default', block, loading }: Look) =>
  `plain-btn plain-btn-${kind}${block ? ' plain-btn-block' : ''}${loading ? ' plain-btn-loading' : ''}`

export function PlainButton({
  kind,
  icon,
  block,
  loading,
  children,
  type = 'button',
  disabled,
  ...rest
}: Look & ComponentProps<'button'>) {
  return (
    <button
      type={type}
      className={buttonClass({ kind, block, loading })}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      {...rest}
    >
      {loading ? <span className="plain-spin-dot plain-spin-small" aria-hidden="true" /> : icon}
      {children !== undefined && <span>{children}</span>}
    </button>
  )
}

/** A link that looks like a button (a tel: link, a download). */
export function PlainLinkButton({ kind, icon, block, children, ...rest }: Look & ComponentProps<'a'>) {
  return (
    <a className={buttonClass({ kind, block })} {...rest}>
      {icon}
      <span>{children}</span>
    </a>
  )
}
