import { afterEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import { DEMO_USERS } from '../../electron/core/demo/seed'
import { loginAs, makeCore, ok } from '../helpers/core'
import { insertLeads } from '../helpers/leads'

/**
 * The work one claim causes on the hub, counted (not timed): the SQL statements of an operator's
 * next lead, dial and outcome, and the event frames they push to every other connected seat. The
 * hub's next-lead p99 once went from 9.6 ms to 151 ms at 400 claims/s without a test noticing; a
 * claim that starts costing more statements, or a push that starts fanning out per claim to every
 * seat, fails here. Budgets are today's counts with a little room; raise one only with the queue
 * bench's figures before and after (npm run bench -- queue).
 */
const BUDGET = {
  /** statements of desk.next, desk.dial, desk.outcome (a no-answer), transactions included */
  next: 18,
  dial: 12,
  outcome: 15,
  /** event frames a connected seat gets while the claims run (coalesced pushes come later) */
  immediatePushesPerSeatPerClaim: 0,
  /** event frames a seat gets for a burst of claims once the coalesced pushes have gone out */
  pushesPerSeatPerBurst: 2,
  /** statements the pushes of a burst cause (a session looked up per seat per event would be 2 × seats) */
  statementsOfPushes: 6
}

const SEATS = 30
const CLAIMS = 20

type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env | undefined
afterEach(() => env?.cleanup())

describe('what one claim costs the hub, with 30 seats connected', () => {
  it('stays within its budget of SQL statements and pushed events', async () => {
    let trace: string[] | null = null
    env = await makeCore({ start: '2026-11-23T02:00:00.000Z', sqlTrace: (sql) => trace?.push(sql) })
    insertLeads(env.core.db, 100)
    const heard: number[] = []
    const seats: CoreConnection[] = []
    for (let i = 0; i < SEATS; i++) {
      const seat = await loginAs(env.core, DEMO_USERS[i % DEMO_USERS.length].username)
      const k = heard.push(0) - 1
      seat.subscribe(() => heard[k]++)
      seats.push(seat)
    }
    const op = await loginAs(env.core, 'op1')
    const per = { next: [] as number[], dial: [] as number[], outcome: [] as number[] }
    const count = async <T>(into: number[], call: () => Promise<T>): Promise<T> => {
      const n = trace?.length ?? 0
      const value = await call()
      into.push((trace?.length ?? 0) - n)
      return value
    }
    const burst = async (tag: string) => {
      for (let i = 0; i < CLAIMS; i++) {
        const r = await count(per.next, () => ok<{ lead: { id: number } }>(op.invoke('desk.next', {})))
        const d = await count(per.dial, () =>
          ok<{ callId: number }>(op.invoke('desk.dial', { leadId: r.lead.id, line: 'sip' }))
        )
        await count(per.outcome, () =>
          ok(
            op.invoke('desk.outcome', {
              clientId: `budget-${tag}-${i}-${Date.now()}`,
              leadId: r.lead.id,
              callId: d.callId,
              disposition: 'no_answer'
            })
          )
        )
        env!.clock.advance(5)
      }
    }
    // a first burst warms what a running hub has warm (statements prepared, each seat's session looked up)
    await burst('warm')
    await new Promise((r) => setTimeout(r, 2500))
    // the background jobs' own statements (phone regions every second, queue counts …), heard in a quiet
    // window as long as the pushes' one: taken off their count, so a job's tick falling in it does not count
    trace = []
    await new Promise((r) => setTimeout(r, 2500))
    const ofJobs = new Map<string, number>()
    for (const sql of trace) ofJobs.set(sql, (ofJobs.get(sql) ?? 0) + 1)
    heard.fill(0)
    per.next.length = per.dial.length = per.outcome.length = 0
    trace = []
    await burst('counted')
    const immediate = heard.reduce((a, b) => a + b, 0)
    const claimsStatements = trace.length
    // the coalesced pushes (the pool views every 2 s, the wallboard every 1 s) go out
    await new Promise((r) => setTimeout(r, 2500))
    const pushesStatements = trace.slice(claimsStatements).filter((sql) => {
      const left = ofJobs.get(sql) ?? 0
      if (left) ofJobs.set(sql, left - 1)
      return !left
    }).length

    const worst = (xs: number[]) => Math.max(...xs)
    const figures = {
      next: worst(per.next),
      dial: worst(per.dial),
      outcome: worst(per.outcome),
      immediatePushesPerSeatPerClaim: immediate / SEATS / CLAIMS,
      pushesPerSeatPerBurst: Math.max(...heard),
      statementsOfPushes: pushesStatements
    }
    for (const [k, v] of Object.entries(figures))
      expect(v, `${k}: ${v} (budget ${BUDGET[k as keyof typeof BUDGET]})`).toBeLessThanOrEqual(
        BUDGET[k as keyof typeof BUDGET]
      )
    // the seats did hear of the claims (the counting above counts something)
    expect(heard.some((n) => n > 0)).toBe(true)
  })
})
