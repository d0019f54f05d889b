import { afterAll, beforeAll, expect, it } from 'vitest'
import { HUB_WS_PATH } from '../../shared/contract'
import { startHub, type Hub } from '../../electron/server/hub'
import { loginAs, makeCore, ok } from '../helpers/core'
import { insertLeads } from '../helpers/leads'
import { HubClient } from '../helpers/ws-client'

/**
 * 50 operators work a 10,000-lead pool through the hub's WebSocket at once, for a minute
 * (LEADLINE_CONCURRENCY_SECONDS to change it): each takes the next lead, then dials it and
 * saves an outcome, or skips it. No lead is ever held by two operators at once, and every
 * claim ends dialed or released.
 */
const OPERATORS = 50
const SECONDS = Number(process.env.LEADLINE_CONCURRENCY_SECONDS ?? 60)

let env: Awaited<ReturnType<typeof makeCore>>
let hub: Hub
const clients: HubClient[] = []

beforeAll(async () => {
  // Monday 10:00 in Nanning: the line is open for the whole run (the clock stands still).
  env = await makeCore({ start: '2026-11-23T02:00:00Z' })
  insertLeads(env.core.db, 10_000)
  const admin = await loginAs(env.core, 'admin')
  for (let i = 0; i < OPERATORS; i++) {
    await ok(
      admin.invoke('users.create', {
        username: `load${i}`,
        displayName: `坐席${i}`,
        role: 'operator',
        password: 'load-test-pass'
      })
    )
  }
  // every third claim is skipped here: more than a day's skips
  await ok(admin.invoke('settings.update', { skips: { perDay: 500, retryMinutes: 30 } }))
  hub = await startHub({ core: env.core, port: 0, staticDir: null })
  for (let i = 0; i < OPERATORS; i++) {
    const c = await HubClient.connect(hub.url.replace('http', 'ws') + HUB_WS_PATH)
    const r = await c.call('auth.login', { username: `load${i}`, password: 'load-test-pass' })
    expect(r.ok).toBe(true)
    clients.push(c)
  }
}, 120_000)

afterAll(async () => {
  clients.forEach((c) => c.close())
  await hub?.close()
  env?.cleanup()
})

it(
  `${OPERATORS} operators claim concurrently through the hub: no lead held twice, every claim dialed or released`,
  async () => {
    const held = new Map<number, number>() // lead → operator holding it now
    const doubles: string[] = []
    let claims = 0
    let dialed = 0
    let released = 0
    let seq = 0
    const until = Date.now() + SECONDS * 1000
    const outcomes = ['no_answer', 'busy', 'refused', 'vacant']

    await Promise.all(
      clients.map(async (c, op) => {
        while (Date.now() < until) {
          const r = await c.call('desk.next', {})
          if (!r.ok) throw new Error(JSON.stringify(r))
          const v = r.value as { lead: { id: number } | null }
          if (!v.lead) break
          const id = v.lead.id
          claims++
          if (held.has(id)) doubles.push(`lead ${id}: operator ${op} while ${held.get(id)} holds it`)
          held.set(id, op)
          if (++seq % 3 === 0) {
            // skip it; it goes back for someone else
            held.delete(id)
            const rel = await c.call('desk.release', { leadId: id, reason: 'not_now' })
            if (!rel.ok) throw new Error(JSON.stringify(rel))
            released++
            continue
          }
          const d = await c.call('desk.dial', { leadId: id, line: 'sip' })
          if (!d.ok) throw new Error(JSON.stringify(d))
          dialed++
          const callId = (d.value as { callId: number }).callId
          held.delete(id)
          const o = await c.call('desk.outcome', {
            clientId: `load-${op}-${seq}-${id}`,
            leadId: id,
            callId,
            disposition: outcomes[seq % outcomes.length]
          })
          if (!o.ok) throw new Error(JSON.stringify(o))
        }
      })
    )

    console.log(
      `desk concurrency: ${OPERATORS} operators, ${SECONDS} s: ${claims} claims, ${dialed} dialed, ${released} released, ${doubles.length} held twice`
    )
    expect(doubles).toEqual([])
    expect(claims).toBeGreaterThan(OPERATORS * 5)
    expect(claims).toBe(dialed + released)
    const db = env.core.db
    // The database agrees: one call per dial, one outcome per call, nothing still leased.
    expect(db.prepare('SELECT count(*) FROM calls').pluck().get()).toBe(dialed)
    expect(db.prepare('SELECT count(*) FROM outcomes').pluck().get()).toBe(dialed)
    expect(db.prepare('SELECT count(*) FROM leads WHERE lease_by IS NOT NULL').pluck().get()).toBe(0)
    // Each lead was dialed at most once (the frozen clock keeps every retry in the future).
    expect(
      db.prepare('SELECT count(*) FROM (SELECT lead_id FROM calls GROUP BY lead_id HAVING count(*) > 1)').pluck().get()
    ).toBe(0)
  },
  SECONDS * 1000 + 60_000
)
