import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import { loginAs, makeCore, ok, userIdOf } from '../helpers/core'
import { insertLeads } from '../helpers/leads'

/**
 * An operator reads and settles their own leads only (leads/ownership.ts): the one they work (its
 * lease), their private pool, their latest daily batch, their pending callbacks. The review found
 * an operator reading a foreign lead's card and saving an outcome on it: calls.start took a lead id
 * from the client, and "has a call on it" counted as ownership.
 */
type Env = Awaited<ReturnType<typeof makeCore>>
let env: Env
let op1: CoreConnection
let op2: CoreConnection
let foreign: number
const outcome = (c: CoreConnection, leadId: number, callId: number | null) =>
  c.invoke('desk.outcome', {
    clientId: `own-${leadId}-${Date.now()}-${Math.floor(Math.random() * 1e9)}`,
    leadId,
    callId,
    disposition: 'no_answer'
  })

beforeEach(async () => {
  // Monday 2026-11-23, 10:00 in Nanning
  env = await makeCore({ start: '2026-11-23T02:00:00.000Z' })
  insertLeads(env.core.db, 10)
  op1 = await loginAs(env.core, 'op1')
  op2 = await loginAs(env.core, 'op2')
  // op2 works a lead; for op1 it is somebody else's
  const r = await ok<{ lead: { id: number } }>(op2.invoke('desk.next', {}))
  foreign = r.lead.id
})
afterEach(() => env.cleanup())

describe('an operator and a lead that is not theirs', () => {
  it('calls.start takes no lead from the client, so a call cannot be hung on a foreign lead', async () => {
    const r = await op1.invoke('calls.start', { leadId: foreign, direction: 'inbound', line: 'simulated' })
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    // an inbound call answered on the desk has no lead of the client's choosing
    const { callId } = await ok<{ callId: number }>(
      op1.invoke('calls.start', { direction: 'inbound', line: 'simulated' })
    )
    expect(env.core.db.prepare('SELECT lead_id FROM calls WHERE id = ?').pluck().get(callId)).toBeNull()
    // and an outcome on the foreign lead with that call is refused
    expect((await outcome(op1, foreign, callId)).ok).toBe(false)
  })

  it('neither reads its card, its view, its reasons nor unmasks it; nor saves an outcome or a card on it', async () => {
    for (const [method, input] of [
      ['desk.card', { leadId: foreign }],
      ['desk.why', { leadId: foreign }],
      ['leads.get', { id: foreign }],
      ['desk.saveCard', { leadId: foreign, note: '改一下' }]
    ] as const) {
      const r = await op1.invoke(method, input)
      expect(r, method).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(await outcome(op1, foreign, null)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    const found = await ok<{ rows: { id: number }[] }>(op1.invoke('leads.search', { limit: 50 }))
    expect(found.rows.map((x) => x.id)).not.toContain(foreign)
  })

  it('a lead once called and back in the pool is no longer the caller’s; the one who takes it next reads it', async () => {
    const d = await ok<{ callId: number }>(op2.invoke('desk.dial', { leadId: foreign, line: 'simulated' }))
    await ok(outcome(op2, foreign, d.callId))
    // op2 called it, and it went back to the pool (no answer): op2 does not keep reading it
    expect(await op2.invoke('desk.card', { leadId: foreign })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    // while its lease is op1's, it is op1's
    env.clock.advance(60_000)
    const mine = env.core.db.prepare('UPDATE leads SET lease_by = ?, lease_until = ? WHERE id = ?')
    mine.run(userIdOf(env.core, 'op1'), new Date(env.clock.now().getTime() + 60_000).toISOString(), foreign)
    expect((await op1.invoke('desk.card', { leadId: foreign })).ok).toBe(true)
  })

  it('the latest daily batch decides: a lead given to op1 yesterday and to op2 today is op2’s', async () => {
    const [lead] = insertLeads(env.core.db, 1, { first: 500 })
    const give = env.core.db.prepare(
      'INSERT INTO allocations (lead_id, operator_id, day, allocated_at) VALUES (?, ?, ?, ?)'
    )
    give.run(lead, userIdOf(env.core, 'op1'), '2026-11-22', '2026-11-21T12:00:00.000Z')
    expect((await op1.invoke('desk.card', { leadId: lead })).ok).toBe(true)
    give.run(lead, userIdOf(env.core, 'op2'), '2026-11-23', '2026-11-22T12:00:00.000Z')
    expect(await op1.invoke('desk.card', { leadId: lead })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await op2.invoke('desk.card', { leadId: lead })).ok).toBe(true)
  })
})
