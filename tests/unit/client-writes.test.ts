import { describe, expect, it } from 'vitest'
import { contract, METHOD_NAMES, type MethodName } from '../../shared/contract'
import { loginAs, makeCore } from '../helpers/core'

/**
 * A seat's writes applied once (热备): a `'resend'` write carries the client id its seat made; the
 * id is saved in the same transaction as the write, and a second send of it is answered
 * "already applied" with nothing done again — what makes the journal's resends after a takeover safe.
 */
const cases = (core: Awaited<ReturnType<typeof makeCore>>['core']) =>
  core.db.prepare('SELECT count(*) FROM complaints').pluck().get() as number
const complaint = { category: 'other', channel: 'call', summary: '客户投诉态度', phone: '13900009999' } as const

describe('client ids', () => {
  it('applies a write once per client id, answers a resend as replayed, and refuses an id of another user or method', async () => {
    const { core, cleanup } = await makeCore()
    try {
      const sup = await loginAs(core, 'supervisor')
      const before = cases(core)
      const first = await sup.invoke('complaints.open', complaint, { clientId: 'aaaaaaaa-0001' })
      expect(first.ok).toBe(true)
      if (!first.ok) return
      expect(first.replayed).toBeUndefined()
      expect(Date.parse(first.at!)).toBeGreaterThan(0)
      expect(cases(core)).toBe(before + 1)
      // the id went with the case, in its transaction
      expect(core.clientWrites.counts).toEqual({ inside: 1, after: 0 })

      // sent again (a resend after a takeover; a send whose answer was lost): nothing done twice
      const again = await sup.invoke('complaints.open', complaint, { clientId: 'aaaaaaaa-0001', resent: true })
      expect(again).toMatchObject({ ok: true, replayed: true })
      const lostAnswer = await sup.invoke('complaints.open', complaint, { clientId: 'aaaaaaaa-0001' })
      expect(lostAnswer).toMatchObject({ ok: true, replayed: true })
      expect(cases(core)).toBe(before + 1)

      // the same id from another user or for another method: refused, nothing changes
      const qa = await loginAs(core, 'qa')
      const other = await qa.invoke('complaints.open', complaint, { clientId: 'aaaaaaaa-0001' })
      expect(other).toMatchObject({ ok: false, error: { code: 'CONFLICT', key: 'errors.clientIdReused' } })
      const otherMethod = await sup.invoke(
        'dnc.add',
        { phone: '13900009998', reason: '客户要求' },
        {
          clientId: 'aaaaaaaa-0001'
        }
      )
      expect(otherMethod).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
      expect(cases(core)).toBe(before + 1)
      expect(core.db.prepare("SELECT count(*) FROM dnc_entries WHERE reason = '客户要求'").pluck().get()).toBe(0)
    } finally {
      cleanup()
    }
  })

  it('keeps no id for a refused write, so the corrected send is applied', async () => {
    const { core, cleanup } = await makeCore()
    try {
      const sup = await loginAs(core, 'supervisor')
      const before = cases(core)
      const refused = await sup.invoke('complaints.open', { ...complaint, phone: '123' }, { clientId: 'bbbbbbbb-0001' })
      expect(refused.ok).toBe(false)
      expect(core.db.prepare('SELECT count(*) FROM client_writes').pluck().get()).toBe(0)
      const sent = await sup.invoke('complaints.open', complaint, { clientId: 'bbbbbbbb-0001' })
      expect(sent).toMatchObject({ ok: true })
      expect(sent.ok && sent.replayed).toBeFalsy()
      expect(cases(core)).toBe(before + 1)
    } finally {
      cleanup()
    }
  })

  it('saves no id for a write that changed nothing, and the id of one that did in its own transaction', async () => {
    const { core, cleanup } = await makeCore()
    try {
      const w = core.clientWrites.begin('cccccccc-0001', 1, 'complaints.open', false)
      core.clientWrites.run(w, () => core.db.transaction(() => core.db.prepare('SELECT 1').get())())
      core.clientWrites.finish(w)
      expect(w.saved).toBeNull()
      const v = core.clientWrites.begin('cccccccc-0002', 1, 'complaints.open', false)
      // the handler's own transaction nests in the write's; a failure in it undoes both
      expect(() =>
        core.clientWrites.run(v, () =>
          core.db.transaction(() => {
            core.db.prepare("INSERT INTO settings (key, value) VALUES ('probe', '1')").run()
            throw new Error('refused')
          })()
        )
      ).toThrow('refused')
      expect(v.saved).toBeNull()
      core.clientWrites.run(v, () =>
        core.db.transaction(() => core.db.prepare("INSERT INTO settings (key, value) VALUES ('probe', '1')").run())()
      )
      expect(v.saved).toBe('inside')
      expect(core.db.prepare('SELECT client_id FROM client_writes').pluck().all()).toEqual(['cccccccc-0002'])
      expect(core.db.inTransaction).toBe(false)
    } finally {
      cleanup()
    }
  })

  it('marks every method that changes data: a method not marked as a write reads (by its verb)', () => {
    const READ =
      /^(list|get|search|preview|previewImport|regions|batches|importJob|importReport|check|export|lookup|last|health|templates|gateway|messages|status|deliveries|rules|myWarnings|media|analysis|myAccount|pbxLink|accounts|current|versions|unfinished|why|card|unmask|today|callbacks|missedCallbacks|board|library|queue|context|myReviews|appeals|returned|operatorStats|agents|team|myVisits|package|live|operators|teams|funnel|numberQuality|dailyList|daily|active|me|names|info|now|calendar|stats|hubs|replication|coverage|read|testRegister)$/
    const unmarked = METHOD_NAMES.filter((m: MethodName) => !('write' in contract[m]))
    // "report" names both a write (a field agent reports a visit) and the figures of a period
    const figures = (m: string) => m.startsWith('reports.') || m === 'followUps.report' || m === 'complaints.report'
    expect(unmarked.filter((m) => !READ.test(m.split('.')[1]) && !figures(m))).toEqual([])
    // a write kept on the seat never carries a secret (it would wait in the browser's storage)
    const resend = METHOD_NAMES.filter((m) => 'write' in contract[m] && contract[m].write === 'resend')
    for (const m of resend)
      expect(JSON.stringify(Object.keys((contract[m].input as { shape?: object }).shape ?? {}))).not.toMatch(
        /password|secret/i
      )
    expect(resend.length).toBeGreaterThan(30)
  })
})
