import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HUB_WS_PATH, type EventName } from '../../shared/contract'
import type { CoreConnection } from '../../electron/core'
import { startHub } from '../../electron/server/hub'
import { loginAs, makeCore, ok, userIdOf } from '../helpers/core'
import { HubClient } from '../helpers/ws-client'

let env: Awaited<ReturnType<typeof makeCore>>
beforeEach(async () => {
  env = await makeCore()
})
afterEach(() => env.cleanup())

/** A logged-in connection and the events it received. */
async function as(username: string) {
  const conn = await loginAs(env.core, username)
  const heard: { event: EventName; payload: Record<string, unknown> }[] = []
  conn.subscribe((event, payload) => heard.push({ event, payload: payload as Record<string, unknown> }))
  return { conn, heard, of: (e: EventName) => heard.filter((h) => h.event === e).map((h) => h.payload) }
}

const userId = (username: string) => userIdOf(env.core, username)

async function startCall(op: CoreConnection): Promise<number> {
  const { callId } = await ok<{ callId: number }>(
    op.invoke('calls.start', { direction: 'outbound', line: 'simulated' })
  )
  return callId
}

function auditOf(action: string) {
  return (
    env.core.db.prepare('SELECT details FROM audit_log WHERE action = ? ORDER BY id').all(action) as {
      details: string
    }[]
  ).map((r) => JSON.parse(r.details) as Record<string, unknown>)
}

function openState(operator: string) {
  return env.core.db
    .prepare('SELECT state, reason FROM agent_states WHERE operator_id = ? AND ended_at IS NULL')
    .get(userId(operator)) as { state: string; reason: string | null } | undefined
}

describe('monitoring a call (监听、耳语、强插)', () => {
  it('a supervisor monitors an operator’s call: the desk is asked, offer and answer pass, modes switch, the end of the call ends it, all in the audit log', async () => {
    const op = await as('op1')
    const sup = await as('supervisor')
    // no call yet: nothing to monitor, said with the operator's name
    const none = await sup.conn.invoke('monitor.start', { operatorId: userId('op1'), mode: 'listen' })
    expect(none.ok).toBe(false)
    if (!none.ok) expect([none.error.code, none.error.message]).toEqual(['CONFLICT', '王芳 现在没有通话，无法监听'])

    const callId = await startCall(op.conn)
    const s = await ok<{ sessionId: number; callId: number; mode: string; operatorName: string }>(
      sup.conn.invoke('monitor.start', { operatorId: userId('op1'), mode: 'listen' })
    )
    expect(s).toMatchObject({ callId, mode: 'listen', operatorName: '王芳' })
    // the desk hears it; listening is silent for the operator by default
    expect(op.of('monitor.desk')).toEqual([
      expect.objectContaining({
        kind: 'start',
        sessionId: s.sessionId,
        callId,
        mode: 'listen',
        show: false,
        supervisorName: '李娜'
      })
    ])
    // nobody else's desk hears it
    const op2 = await as('op2')
    expect(op2.of('monitor.desk')).toEqual([])

    await ok(op.conn.invoke('monitor.signal', { sessionId: s.sessionId, signal: { type: 'offer', sdp: 'v=0 offer' } }))
    expect(sup.of('monitor.supervisor')).toEqual([
      expect.objectContaining({ kind: 'signal', signal: { type: 'offer', sdp: 'v=0 offer' } })
    ])
    await ok(
      sup.conn.invoke('monitor.signal', { sessionId: s.sessionId, signal: { type: 'answer', sdp: 'v=0 answer' } })
    )
    expect(op.of('monitor.desk').at(-1)).toMatchObject({
      kind: 'signal',
      signal: { type: 'answer', sdp: 'v=0 answer' }
    })
    // an operator cannot pass an answer, nor speak for a session that is not theirs
    expect(
      (await op2.conn.invoke('monitor.signal', { sessionId: s.sessionId, signal: { type: 'offer', sdp: 'x' } })).ok
    ).toBe(false)

    env.clock.advance(5_000)
    const w = await ok<{ mode: string }>(sup.conn.invoke('monitor.mode', { sessionId: s.sessionId, mode: 'whisper' }))
    expect(w.mode).toBe('whisper')
    // whispering is shown on the desk by default
    expect(op.of('monitor.desk').at(-1)).toMatchObject({ kind: 'mode', mode: 'whisper', show: true })
    env.clock.advance(5_000)
    await ok(sup.conn.invoke('monitor.mode', { sessionId: s.sessionId, mode: 'barge' }))

    // another supervisor cannot take the same call
    const sup2 = await as('supervisor2')
    const taken = await sup2.conn.invoke('monitor.start', { operatorId: userId('op1'), mode: 'listen' })
    expect(taken.ok).toBe(false)
    if (!taken.ok) expect(taken.error.message).toBe('这通电话正由 李娜 监听')
    expect(await ok(sup.conn.invoke('monitor.active', {}))).toEqual([
      expect.objectContaining({ sessionId: s.sessionId, mode: 'barge' })
    ])

    env.clock.advance(5_000)
    await ok(op.conn.invoke('calls.end', { callId, cause: 'customer', answered: true }))
    expect(op.of('monitor.desk').at(-1)).toMatchObject({ kind: 'end' })
    expect(sup.of('monitor.supervisor').at(-1)).toMatchObject({ kind: 'end', reason: 'callEnded' })
    expect(await ok(sup.conn.invoke('monitor.active', {}))).toEqual([])
    // the session is over: switching it is refused
    expect((await sup.conn.invoke('monitor.mode', { sessionId: s.sessionId, mode: 'listen' })).ok).toBe(false)

    const [start] = auditOf('monitor.start')
    expect(start).toMatchObject({ sessionId: s.sessionId, operator: '王芳', mode: 'listen' })
    expect(auditOf('monitor.mode').map((d) => `${d.from}→${d.to}`)).toEqual(['listen→whisper', 'whisper→barge'])
    const [end] = auditOf('monitor.end')
    expect(end).toMatchObject({ reason: 'callEnded', seconds: 15 })
    expect((end.modes as { mode: string }[]).map((m) => m.mode)).toEqual(['listen', 'whisper', 'barge'])
    const row = env.core.db.prepare('SELECT * FROM monitor_sessions WHERE id = ?').get(s.sessionId) as Record<
      string,
      unknown
    >
    expect(row).toMatchObject({ call_id: callId, end_reason: 'callEnded', supervisor_id: userId('supervisor') })
    expect(row.ended_at).not.toBeNull()
  })

  it('operators cannot monitor; a supervisor limited to their own team cannot monitor another team’s operator', async () => {
    const op = await as('op1')
    await startCall(op.conn)
    const byOperator = await op.conn.invoke('monitor.start', { operatorId: userId('op1'), mode: 'listen' })
    expect(byOperator.ok).toBe(false)
    if (!byOperator.ok) expect(byOperator.error.code).toBe('FORBIDDEN')

    const admin = await as('admin')
    await ok(admin.conn.invoke('settings.update', { teams: { supervisorsSeeAll: false } }))
    // 赵磊 leads 二组 (黄丽); 王芳 is in 一组
    const sup2 = await as('supervisor2')
    const other = await sup2.conn.invoke('monitor.start', { operatorId: userId('op1'), mode: 'listen' })
    expect(other.ok).toBe(false)
    if (!other.ok) expect(other.error.code).toBe('FORBIDDEN')
    // an administrator may
    await ok(admin.conn.invoke('monitor.start', { operatorId: userId('op1'), mode: 'listen' }))
  })

  it('the supervisor’s page or the desk going away ends the session; a desk that has no such call declines', async () => {
    const op = await as('op1')
    const sup = await as('supervisor')
    await startCall(op.conn)
    const a = await ok<{ sessionId: number }>(
      sup.conn.invoke('monitor.start', { operatorId: userId('op1'), mode: 'listen' })
    )
    sup.conn.close()
    expect(op.of('monitor.desk').at(-1)).toMatchObject({ kind: 'end', sessionId: a.sessionId })
    expect(auditOf('monitor.end').at(-1)).toMatchObject({ reason: 'supervisorGone' })

    const sup2 = await as('supervisor')
    const b = await ok<{ sessionId: number }>(
      sup2.conn.invoke('monitor.start', { operatorId: userId('op1'), mode: 'listen' })
    )
    await ok(op.conn.invoke('monitor.signal', { sessionId: b.sessionId, signal: { type: 'offer', sdp: 'v=0' } }))
    op.conn.close()
    expect(sup2.of('monitor.supervisor').at(-1)).toMatchObject({ kind: 'end', reason: 'deskGone' })

    const op2 = await as('op2')
    await startCall(op2.conn)
    const c = await ok<{ sessionId: number }>(
      sup2.conn.invoke('monitor.start', { operatorId: userId('op2'), mode: 'whisper' })
    )
    await ok(
      op2.conn.invoke('monitor.signal', { sessionId: c.sessionId, signal: { type: 'decline', reason: 'noCall' } })
    )
    expect(sup2.of('monitor.supervisor').slice(-2)).toEqual([
      expect.objectContaining({ kind: 'signal', signal: { type: 'decline', reason: 'noCall' } }),
      expect.objectContaining({ kind: 'end', reason: 'declined' })
    ])
  })
})

describe('a seat that drops (离线)', () => {
  it('the desk’s connection closing makes the operator offline with the reason; a seat that reconnected first stays as it is', async () => {
    const a = await as('op1')
    await ok(a.conn.invoke('desk.setState', { state: 'ready' }))
    env.clock.advance(60_000)
    a.conn.close()
    expect(openState('op1')).toEqual({ state: 'offline', reason: 'disconnected' })
    const board = await ok<{ name: string; state: string; since: string }[]>(
      (await as('supervisor')).conn.invoke('desk.board', {})
    )
    expect(board.find((b) => b.name === '王芳')).toMatchObject({
      state: 'offline',
      since: env.clock.now().toISOString()
    })
    // the ready time ended when the seat went: not a minute more
    const ready = env.core.db
      .prepare("SELECT started_at, ended_at FROM agent_states WHERE operator_id = ? AND state = 'ready'")
      .get(userId('op1')) as { started_at: string; ended_at: string }
    expect(Date.parse(ready.ended_at) - Date.parse(ready.started_at)).toBe(60_000)

    // a desk whose new socket came in before the old one was found dead (the same desk: its seat id) keeps its state
    const seat = 'op2-desk-seat'
    const old = await as('op2')
    await ok(old.conn.invoke('desk.setState', { state: 'ready', seat }))
    const fresh = await as('op2')
    await ok(fresh.conn.invoke('desk.setState', { state: 'on_call', seat }))
    old.conn.close()
    expect(openState('op2')).toEqual({ state: 'on_call', reason: null })
    // a desk that said goodbye (left the desk page) is not "disconnected" when its socket closes later
    await ok(fresh.conn.invoke('desk.setState', { state: 'offline', seat }))
    fresh.conn.close()
    expect(openState('op2')).toEqual({ state: 'offline', reason: null })
  })

  it('through the hub: a closed socket, and a socket that stops answering heartbeats, are offline within seconds', async () => {
    const hub = await startHub({ core: env.core, port: 0, staticDir: null })
    try {
      const url = hub.url.replace('http', 'ws') + HUB_WS_PATH
      const c = await HubClient.connect(url)
      expect((await c.call('auth.login', { username: 'op1', password: 'demo1234' })).ok).toBe(true)
      expect((await c.call('desk.setState', { state: 'ready' })).ok).toBe(true)
      c.close()
      await expect.poll(() => openState('op1')?.reason, { timeout: 5_000 }).toBe('disconnected')

      const d = await HubClient.connect(url)
      expect((await d.call('auth.login', { username: 'op3', password: 'demo1234' })).ok).toBe(true)
      expect((await d.call('desk.setState', { state: 'ready' })).ok).toBe(true)
      // the seat's machine freezes: its socket stays open but nothing comes back (no pong)
      d.freeze()
      await expect.poll(() => openState('op3')?.reason, { timeout: 15_000, interval: 500 }).toBe('disconnected')
    } finally {
      await hub.close()
    }
  }, 30_000)
})
