import type { Role } from '../../../shared/contract'
import { NANNING_DISTRICTS } from '../../../shared/domain/districts'
import type { CoreDeps } from '../context'
import { hashPassword } from '../auth/password'
import type { DistrictsRepo } from '../districts/repo'
import type { SettingsStore } from '../settings/service'
import type { UsersRepo } from '../users/repo'

/** Shown on the login page while demo mode is on, and only for accounts that still use it. */
export const DEMO_PASSWORD = 'demo1234'

interface DemoUser {
  username: string
  displayName: string
  role: Role
  staffNo?: string
  districtCode?: string
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin' },
  { username: 'supervisor', displayName: '李娜', role: 'supervisor', staffNo: 'S001' },
  { username: 'op1', displayName: '王芳', role: 'operator', staffNo: '1001' },
  { username: 'op2', displayName: '陈强', role: 'operator', staffNo: '1002' },
  { username: 'op3', displayName: '黄丽', role: 'operator', staffNo: '1003' },
  { username: 'qa', displayName: '刘敏', role: 'qa', staffNo: 'Q001' },
  { username: 'leader_qx', displayName: '韦建国', role: 'leader', staffNo: 'L001', districtCode: '450103' },
  { username: 'leader_jn', displayName: '覃海燕', role: 'leader', staffNo: 'L002', districtCode: '450105' },
  { username: 'agent_qx1', displayName: '蒙志刚', role: 'field_agent', staffNo: 'A001', districtCode: '450103' },
  { username: 'agent_qx2', displayName: '梁秀英', role: 'field_agent', staffNo: 'A002', districtCode: '450103' },
  { username: 'agent_jn1', displayName: '莫小军', role: 'field_agent', staffNo: 'A003', districtCode: '450105' }
]

/** Districts every installation starts with; a city is data, so others are added the same way. */
export function seedDistricts(districts: DistrictsRepo): void {
  districts.upsert(NANNING_DISTRICTS)
}

/** Fills an empty installation with a team to look around with. */
export async function seedDemo(deps: CoreDeps, users: UsersRepo, settings: SettingsStore): Promise<void> {
  const hash = await hashPassword(DEMO_PASSWORD)
  const now = deps.clock.now().toISOString()
  deps.db.transaction(() => {
    if (users.count() > 0) return
    for (const u of DEMO_USERS) {
      users.insert({
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        staffNo: u.staffNo ?? null,
        districtCode: u.districtCode ?? null,
        passwordHash: hash,
        demoPassword: DEMO_PASSWORD,
        now
      })
    }
    settings.set({ demoMode: true, orgName: '南宁电销中心（演示）' })
    deps.audit.write({ userId: null, username: null, action: 'system.demoSeeded', details: { users: DEMO_USERS.length }, source: 'system' })
  })()
}
