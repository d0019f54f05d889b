import type { IconDefinition } from '@ant-design/icons-svg/es/types'
import AlertOutlined from '@ant-design/icons-svg/es/asn/AlertOutlined'
import ApiOutlined from '@ant-design/icons-svg/es/asn/ApiOutlined'
import AuditOutlined from '@ant-design/icons-svg/es/asn/AuditOutlined'
import BarChartOutlined from '@ant-design/icons-svg/es/asn/BarChartOutlined'
import CarOutlined from '@ant-design/icons-svg/es/asn/CarOutlined'
import ClusterOutlined from '@ant-design/icons-svg/es/asn/ClusterOutlined'
import CustomerServiceOutlined from '@ant-design/icons-svg/es/asn/CustomerServiceOutlined'
import DashboardOutlined from '@ant-design/icons-svg/es/asn/DashboardOutlined'
import DatabaseOutlined from '@ant-design/icons-svg/es/asn/DatabaseOutlined'
import FileSearchOutlined from '@ant-design/icons-svg/es/asn/FileSearchOutlined'
import InfoCircleOutlined from '@ant-design/icons-svg/es/asn/InfoCircleOutlined'
import MailOutlined from '@ant-design/icons-svg/es/asn/MailOutlined'
import MessageOutlined from '@ant-design/icons-svg/es/asn/MessageOutlined'
import PhoneOutlined from '@ant-design/icons-svg/es/asn/PhoneOutlined'
import ProfileOutlined from '@ant-design/icons-svg/es/asn/ProfileOutlined'
import SafetyOutlined from '@ant-design/icons-svg/es/asn/SafetyOutlined'
import ScheduleOutlined from '@ant-design/icons-svg/es/asn/ScheduleOutlined'
import SendOutlined from '@ant-design/icons-svg/es/asn/SendOutlined'
import SettingOutlined from '@ant-design/icons-svg/es/asn/SettingOutlined'
import SoundOutlined from '@ant-design/icons-svg/es/asn/SoundOutlined'
import TeamOutlined from '@ant-design/icons-svg/es/asn/TeamOutlined'
import ToolOutlined from '@ant-design/icons-svg/es/asn/ToolOutlined'
import UploadOutlined from '@ant-design/icons-svg/es/asn/UploadOutlined'
import UserOutlined from '@ant-design/icons-svg/es/asn/UserOutlined'
import type { Role } from '../../../../shared/contract'

export interface NavItem {
  path: string
  /** i18n key under `nav.` */
  label: string
  /** drawn with ui/Icon (no icon library on the first screen) */
  icon: IconDefinition
  roles: readonly Role[]
}

/**
 * Each role's workspaces, in the order they appear. Hiding an entry is a courtesy: core checks
 * every call's role whatever the UI shows.
 */
export const NAV: readonly NavItem[] = [
  { path: '/desk', label: 'desk', icon: PhoneOutlined, roles: ['operator'] },
  { path: '/my-leads', label: 'myLeads', icon: UserOutlined, roles: ['operator'] },
  { path: '/callbacks', label: 'callbacks', icon: ScheduleOutlined, roles: ['operator'] },
  { path: '/follow-ups', label: 'followUps', icon: CustomerServiceOutlined, roles: ['operator'] },
  { path: '/my-reviews', label: 'myReviews', icon: FileSearchOutlined, roles: ['operator'] },
  { path: '/review-queue', label: 'reviewQueue', icon: AlertOutlined, roles: ['qa'] },
  { path: '/recordings', label: 'recordings', icon: SoundOutlined, roles: ['qa', 'supervisor'] },
  { path: '/qa-appeals', label: 'qaAppeals', icon: AuditOutlined, roles: ['supervisor'] },
  { path: '/wallboard', label: 'wallboard', icon: DashboardOutlined, roles: ['supervisor'] },
  { path: '/pool', label: 'pool', icon: DatabaseOutlined, roles: ['supervisor'] },
  { path: '/import', label: 'import', icon: UploadOutlined, roles: ['supervisor'] },
  { path: '/allocation', label: 'allocation', icon: ClusterOutlined, roles: ['supervisor'] },
  { path: '/campaigns', label: 'campaigns', icon: ProfileOutlined, roles: ['supervisor'] },
  { path: '/dispatch', label: 'dispatch', icon: SendOutlined, roles: ['supervisor'] },
  { path: '/reports', label: 'reports', icon: BarChartOutlined, roles: ['supervisor'] },
  { path: '/district-dispatch', label: 'districtDispatch', icon: SendOutlined, roles: ['leader'] },
  { path: '/agents', label: 'agents', icon: TeamOutlined, roles: ['leader'] },
  { path: '/visits', label: 'visits', icon: CarOutlined, roles: ['field_agent'] },
  { path: '/users', label: 'users', icon: TeamOutlined, roles: ['admin', 'supervisor'] },
  { path: '/audit', label: 'audit', icon: AuditOutlined, roles: ['admin', 'supervisor'] },
  { path: '/system', label: 'system', icon: ToolOutlined, roles: ['admin'] },
  { path: '/complaints', label: 'complaints', icon: MessageOutlined, roles: ['qa', 'supervisor', 'admin'] },
  { path: '/privacy', label: 'privacy', icon: SafetyOutlined, roles: ['admin'] },
  { path: '/numbers', label: 'numbers', icon: PhoneOutlined, roles: ['supervisor', 'admin'] },
  { path: '/sms', label: 'sms', icon: MailOutlined, roles: ['supervisor', 'admin'] },
  { path: '/integrations', label: 'integrations', icon: ApiOutlined, roles: ['admin'] },
  {
    path: '/settings',
    label: 'settings',
    icon: SettingOutlined,
    roles: ['operator', 'qa', 'supervisor', 'leader', 'field_agent', 'admin']
  },
  {
    path: '/about',
    label: 'about',
    icon: InfoCircleOutlined,
    roles: ['operator', 'qa', 'supervisor', 'leader', 'field_agent', 'admin']
  }
]

export function navFor(role: Role): NavItem[] {
  return NAV.filter((n) => n.roles.includes(role))
}
