import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CoreConnection } from '../../electron/core'
import { composeDomains, defineDomain } from '../../electron/core/domain'
import { DomainEvents } from '../../electron/core/domain-events'
import { loginAs, makeCore, ok, userIdOf } from '../helpers/core'
import { insertLeads } from '../helpers/leads'
import { peaksOf, recordCall } from '../helpers/peaks'

let env: Awaited<ReturnType<typeof makeCore>>
let op1: CoreConnection
let qa: CoreConnection
let sup: CoreConnection
const sh = (local: string) => new Date(`${local}+08:00`)

beforeEach(async () => {
  env = await makeCore({ start: sh('2026-11-23T10:00:00').toISOString() })
  op1 = await loginAs(env.core, 'op1')
  qa = await loginAs(env.core, 'qa')
  sup = await loginAs(env.core, 'supervisor')
})
afterEach(() => env.cleanup())

/** Every domain event in the order core publishes them. */
function record(): string[] {
  const seen: string[] = []
  env.core.bus.tap((name, p) => seen.push(`${name} ${JSON.stringify(p)}`))
  return seen
}

/** A queue lead dialed on the SIP line, recorded (a quiet call), and saved as a success with the visit and consent. */
async function success(leadId: number) {
  await ok(op1.invoke('desk.next', {}))
  const { callId } = await ok<{ callId: number }>(op1.invoke('desk.dial', { leadId, line: 'sip' }))
  const recordingId = await recordCall(op1, callId, peaksOf(20, [[0, 4]], [[5, 9]]))
  await ok(
    op1.invoke('desk.outcome', {
      clientId: `chain-success-${leadId}`,
      leadId,
      callId,
      disposition: 'accepted',
      consent: true,
      visitAt: sh('2026-11-25T10:00:00').toISOString(),
      districtCode: '450103'
    })
  )
  return { callId, recordingId }
}

const boardChanged = () =>
  new Promise<string>((resolve) => {
    const off = env.core.events.subscribe((name, payload) => {
      if (name !== 'board.changed') return
      off()
      resolve((payload as { reason: string }).reason)
    })
  })

describe('the business chain is declared events, each domain reacting in its own folder', () => {
  it('a success behind the QA gate: outcome → QA queue, held; a passing review → dispatch → wallboard', async () => {
    const seen = record()
    const [lead] = insertLeads(env.core.db, 1, { district: '450103' })
    const wallboard = boardChanged()
    const { callId, recordingId } = await success(lead)

    // the dial and the call's end touch the wallboard (declared `board: true` in the contract), and the end is
    // said (monitoring follows it); the recording closed, then the outcome was saved: QA queued the call and
    // holds the success at the gate (no qa.gatePassed)
    expect(seen).toEqual([
      'board.touched {"reason":"desk.dial"}',
      `call.ended {"callId":${callId},"operatorId":${userIdOf(env.core, 'op1')}}`,
      'board.touched {"reason":"calls.end"}',
      `recording.closed {"recordingId":${recordingId},"callId":${callId}}`,
      `outcome.saved {"callId":${callId},"leadId":${lead},"success":true,"campaignId":1}`,
      'board.touched {"reason":"desk.outcome"}'
    ])
    const queue = await ok<{ callId: number; gate: boolean; reasons: string[] }[]>(qa.invoke('qa.queue', {}))
    expect(queue).toMatchObject([{ callId, gate: true, reasons: ['success'] }])
    expect(await ok<unknown[]>(sup.invoke('dispatch.list', {}))).toEqual([])
    // the wallboard was told (coalesced into one board.changed for the screens)
    expect(await wallboard).toMatch(/^desk\./)

    // QA passes it: the gate publishes qa.gatePassed, dispatch takes it (dispatch.released) for 青秀区's team
    seen.length = 0
    await ok(qa.invoke('qa.claim', { callId }))
    const card = await ok<{ body: { items: { id: string; points: number }[] } }>(
      qa.invoke('scorecards.current', { campaignId: 1 })
    )
    const board = boardChanged()
    await ok(
      qa.invoke('qa.submit', {
        callId,
        verdict: 'pass',
        scores: card.body.items.map((i) => ({ itemId: i.id, score: i.points, failed: false }))
      })
    )
    expect(seen.map((s) => s.split(' ')[0])).toEqual(['qa.gatePassed', 'dispatch.released'])
    expect(seen[0]).toContain(`"leadId":${lead},"reviewed":true`)
    expect(seen[1]).toContain('"unit":"450103"')
    const [d] = await ok<{ leadId: number; unit: string }[]>(sup.invoke('dispatch.list', {}))
    expect(d).toMatchObject({ leadId: lead, unit: '450103' })
    expect(await board).toBe('dispatch.released')
  })

  it('a campaign without the gate: the success passes it at once, in the outcome’s own transaction', async () => {
    await ok(
      sup.invoke('campaigns.update', {
        id: 1,
        settings: { qa: { gate: false, reviewSuccesses: true, samplePercent: 0, rules: [] } }
      })
    )
    const seen = record()
    const [lead] = insertLeads(env.core.db, 1, { district: '450103' })
    await success(lead)
    const chain = seen.map((s) => s.split(' ')[0]).filter((e) => e !== 'board.touched')
    expect(chain).toEqual(['call.ended', 'recording.closed', 'outcome.saved', 'qa.gatePassed', 'dispatch.released'])
    expect(seen.find((s) => s.startsWith('qa.gatePassed'))).toContain('"reviewed":false')
    expect(await ok<{ leadId: number }[]>(sup.invoke('dispatch.list', {}))).toMatchObject([{ leadId: lead }])
  })

  it('a subscriber that fails undoes the write that published the event: no outcome without its chain', async () => {
    const [lead] = insertLeads(env.core.db, 1, { district: '450103' })
    env.core.bus.on('outcome.saved', () => {
      throw new Error('the QA queue is broken')
    })
    await ok(op1.invoke('desk.next', {}))
    const { callId } = await ok<{ callId: number }>(op1.invoke('desk.dial', { leadId: lead, line: 'sip' }))
    const r = await op1.invoke('desk.outcome', {
      clientId: 'chain-broken-1',
      leadId: lead,
      callId,
      disposition: 'refused'
    })
    expect(r.ok).toBe(false)
    expect(env.core.db.prepare('SELECT count(*) FROM outcomes WHERE call_id = ?').pluck().get(callId)).toBe(0)
  })

  it('composing refuses a method answered by two domains, and a contract method no domain answers', () => {
    const bus = new DomainEvents()
    const answer = () => ({ ok: true as const })
    expect(() =>
      composeDomains(
        [
          defineDomain({ name: 'one', handlers: { 'qa.release': answer } }),
          defineDomain({ name: 'two', handlers: { 'qa.release': answer } })
        ],
        bus
      )
    ).toThrow('the method qa.release is defined twice: by one and by two')
    expect(() => composeDomains([defineDomain({ name: 'one', handlers: { 'qa.release': answer } })], bus)).toThrow(
      /no domain answers .*auth\.login/
    )
  })
})
