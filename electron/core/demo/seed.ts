import type { Role } from '../../../shared/contract'
import { NANNING_DISTRICTS } from '../../../shared/domain/districts'
import type { CoreDeps } from '../context'
import { hashPassword } from '../auth/password'
import type { DistrictsRepo } from '../districts/repo'
import type { SettingsStore } from '../settings/service'
import type { UsersRepo } from '../users/repo'
import { DemoRepo } from './repo'

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
  { username: 'supervisor2', displayName: '赵磊', role: 'supervisor', staffNo: 'S002' },
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

const DEMO_TEAMS = [
  { name: '一组', supervisor: 'supervisor', operators: ['op1', 'op2'] },
  { name: '二组', supervisor: 'supervisor2', operators: ['op3'] }
]

/** The demo has field teams in 青秀区 and 江南区; the other districts are given to them. */
const DEMO_COVER: Record<string, string> = {
  '450102': '450103', // 兴宁区 → 青秀区
  '450109': '450103', // 邕宁区
  '450110': '450103', // 武鸣区
  '450124': '450103', // 马山县
  '450125': '450103', // 上林县
  '450126': '450103', // 宾阳县
  '450181': '450103', // 横州市
  '450107': '450105', // 西乡塘区 → 江南区
  '450108': '450105', // 良庆区
  '450123': '450105' // 隆安县
}

/** Districts every installation starts with; a city is data, so others are added the same way. */
export function seedDistricts(districts: DistrictsRepo): void {
  districts.upsert(NANNING_DISTRICTS)
}

/** Fills an empty installation with a team to look around with. */
export async function seedDemo(deps: CoreDeps, users: UsersRepo, settings: SettingsStore): Promise<void> {
  const hash = await hashPassword(DEMO_PASSWORD)
  const now = deps.clock.now().toISOString()
  deps.db
    .transaction(() => {
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
      // two teams (班组), each with its supervisor
      const repo = new DemoRepo(deps.db)
      for (const t of DEMO_TEAMS) repo.addTeam(t.name, t.supervisor, t.operators, now)
      // every district has a field team: the districts without leaders and agents of their own are covered
      for (const [code, by] of Object.entries(DEMO_COVER)) repo.cover(code, by)
      settings.set({ demoMode: true, orgName: '南宁电销中心（演示）' })
      deps.audit.write({
        userId: null,
        username: null,
        action: 'system.demoSeeded',
        details: { users: DEMO_USERS.length },
        source: 'system'
      })
    })
    .immediate()
}

export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '黄',
  '韦',
  '覃',
  '蒙',
  '莫',
  '梁',
  '陆',
  '农',
  '卢',
  '罗',
  '周',
  '吴',
  '邓',
  '谢',
  '唐'
]
/** Given names that read as a man's and as a woman's, so the card's 性别 and 称呼 (先生/女士) fit the name. */
export const GIVEN = {
  M: ['建华', '志强', '国庆', '小军', '文杰', '永福', '德明', '家宝'],
  F: ['秀英', '丽娟', '海燕', '春梅', '美玲', '桂兰', '晓燕', '玉珍']
} as const
const STREETS = [
  '民族大道',
  '朝阳路',
  '星光大道',
  '友爱路',
  '白沙大道',
  '五一路',
  '大学路',
  '江南路',
  '竹溪大道',
  '金湖路'
]

/**
 * Demo leads for a fresh demo installation, so the desk has work at once: 150 customers across
 * Nanning's districts, 20 in each demo operator's batch, the rest in the shared pool. Numbers are
 * in the 170 0771 range, which no real list uses. The demo campaign calls every day 09:00–21:00
 * (inside the legal hours) so a demo works in the evening and at weekends too.
 */
export function seedDemoLeads(deps: CoreDeps, day: string): void {
  const repo = new DemoRepo(deps.db)
  const now = deps.clock.now().toISOString()
  repo.transaction(() => {
    if (repo.hasLeads()) return
    repo.nameDemoCampaign('演示活动', { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '21:00' }] })
    const batch = repo.addBatch(150, now)
    const ops = repo.operators()
    for (let i = 0; i < 150; i++) {
      const d = NANNING_DISTRICTS[i % NANNING_DISTRICTS.length]
      const gender = i % 2 ? 'F' : 'M'
      // the k-th man or woman: surname k mod 20, given name shifted by each round of 20, so all 150 are different
      const k = Math.floor(i / 2)
      const name =
        SURNAMES[k % SURNAMES.length] +
        GIVEN[gender][(Math.floor(k / SURNAMES.length) + (k % SURNAMES.length)) % GIVEN[gender].length]
      const birthDate = `${1960 + (i % 35)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`
      const street = STREETS[i % STREETS.length]
      const owner = i < ops.length * 20 ? ops[Math.floor(i / 20)] : null
      const id = repo.addLead({
        // 138 0771: China Mobile numbers of Nanning, so the card shows a 归属地 like a real list's
        phone: `1380771${String(1000 + i).padStart(4, '0')}`,
        name,
        gender,
        birthDate,
        address: `南宁市${d.name}${street}${(i % 180) + 1}号`,
        district: d.code,
        batch,
        owner,
        at: now
      })
      if (owner) repo.allocate(id, owner, day, now)
    }
  })
}
