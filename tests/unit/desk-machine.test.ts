import { describe, expect, it } from 'vitest'
import type { DeskLead } from '../../shared/contract'
import {
  agentStateOf,
  canDial,
  canPause,
  canSaveOutcome,
  canSkip,
  canTakeNext,
  deskReducer,
  initialDesk,
  undialedLead,
  whyNoNext,
  type DeskEvent,
  type DeskState
} from '../../renderer/src/features/desk/desk-machine'

const lead = { id: 7, campaignId: 1, name: '张三' } as DeskLead
const run = (events: DeskEvent[], from: DeskState = initialDesk) => events.reduce(deskReducer, from)
const take: DeskEvent = {
  type: 'leadTaken',
  lead,
  source: 'batch',
  callbackId: null,
  callbackNote: null,
  progressiveSec: null
}
const takeProgressive: DeskEvent = {
  type: 'leadTaken',
  lead,
  source: 'batch',
  callbackId: null,
  callbackNote: null,
  progressiveSec: 3
}
const ended = (callId: number | null, at = 1000): DeskEvent => ({ type: 'lineEnded', callId, at, wrapUpSec: 30 })

describe('a return call routed to the desk (回拨路由)', () => {
  const rang = (status = 'callback'): DeskEvent => ({
    type: 'inboundRang',
    lead: { ...lead, status } as DeskLead,
    source: 'callback',
    callbackId: null,
    callbackNote: null,
    callId: 41
  })
  it('rings with its lead; answered, it ends in that lead’s wrap-up; a booked sale’s call takes no outcome', () => {
    const ringing = run([rang()])
    expect(ringing.work).toMatchObject({ stage: 'call', callId: 41, lead: { id: 7 } })
    expect(canDial(ringing)).toBe(false)
    const done = run([{ type: 'lineDialing' }, { type: 'lineAnswered' }, ended(41)], ringing)
    expect(done.work?.stage).toBe('wrap_up')
    expect(canSaveOutcome(done)).toBe(true)
    const sale = run([rang('accepted'), { type: 'lineDialing' }, { type: 'lineAnswered' }, ended(41)])
    expect(sale.work).toBeNull()
    expect(canTakeNext(sale)).toBe(true)
  })
  it('stops ringing unanswered: the desk is free again; a desk with a lead in hand is not taken over', () => {
    expect(run([rang(), { type: 'inboundGone', callId: 41 }]).work).toBeNull()
    const busy = run([take, rang()])
    expect(busy.work).toMatchObject({ stage: 'preview', lead: { id: 7 }, callId: null })
    expect(run([{ type: 'inboundGone', callId: 41 }], busy).work?.stage).toBe('preview')
  })
})

describe('the desk lifecycle', () => {
  it('idle → preview → dialling → in call → wrap-up → saved, with the agent state and the guards of each stage', () => {
    expect(agentStateOf(initialDesk)).toEqual({ state: 'ready' })
    expect([canTakeNext(initialDesk), canDial(initialDesk), canSkip(initialDesk), canSaveOutcome(initialDesk)]).toEqual(
      [true, false, false, false]
    )

    const preview = run([take])
    expect(preview.work).toMatchObject({ stage: 'preview', callId: null })
    expect([canDial(preview), canSkip(preview), canSaveOutcome(preview)]).toEqual([true, true, false])
    expect(agentStateOf(preview)).toEqual({ state: 'ready' })

    const dialling = run([{ type: 'dialRegistered', callId: 5 }], preview)
    expect(dialling).toMatchObject({ line: 'dialing', work: { stage: 'call', callId: 5 } })
    expect(agentStateOf(dialling)).toEqual({ state: 'dialing' })
    expect([
      canTakeNext(dialling),
      canDial(dialling),
      canSkip(dialling),
      canSaveOutcome(dialling),
      canPause(dialling)
    ]).toEqual([false, false, false, false, false])
    expect(whyNoNext(dialling)).toBe('inCall')

    const inCall = run([{ type: 'lineAnswered' }], dialling)
    expect(agentStateOf(inCall)).toEqual({ state: 'on_call' })

    const wrap = run([ended(5, 1000)], inCall)
    expect(wrap).toMatchObject({ line: 'free', work: { stage: 'wrap_up' }, wrapUntil: 31_000 })
    expect(agentStateOf(wrap)).toEqual({ state: 'wrap_up' })
    expect(canSaveOutcome(wrap)).toBe(true)
    // Alt+N before the outcome is saved says why instead of doing nothing
    expect(whyNoNext(wrap)).toBe('outcomeFirst')
    expect(run([take], wrap)).toBe(wrap)

    const saved = run([{ type: 'outcomeSaved', progressive: false }], wrap)
    expect(saved).toMatchObject({ work: { stage: 'saved' }, wrapUntil: null })
    expect([canTakeNext(saved), canDial(saved), canSaveOutcome(saved)]).toEqual([true, false, false])
    expect(agentStateOf(saved)).toEqual({ state: 'ready' })
  })

  it('progressive: a countdown that ticks down and dials, or that the operator stops; a saved outcome clears the desk for the next lead', () => {
    const counting = run([takeProgressive])
    expect(counting).toMatchObject({ countdown: 3, work: { stage: 'countdown' } })
    expect(run([{ type: 'countdownTick' }, { type: 'countdownTick' }], counting).countdown).toBe(1)
    // it never goes below zero
    expect(
      run(
        [{ type: 'countdownTick' }, { type: 'countdownTick' }, { type: 'countdownTick' }, { type: 'countdownTick' }],
        counting
      ).countdown
    ).toBe(0)
    const stopped = run([{ type: 'countdownStopped' }], counting)
    expect(stopped).toMatchObject({ countdown: null, work: { stage: 'preview' } })
    expect(canDial(stopped)).toBe(true)
    // core refuses the dial (the window just closed): the lead stays in hand, no countdown
    expect(run([{ type: 'dialRefused' }], counting)).toMatchObject({ countdown: null, work: { stage: 'preview' } })
    const done = run(
      [
        { type: 'dialRegistered', callId: 9 },
        { type: 'lineAnswered' },
        ended(9),
        { type: 'outcomeSaved', progressive: true }
      ],
      counting
    )
    expect(done.work).toBeNull()
    expect(canTakeNext(done)).toBe(true)
  })

  it('paused: no countdown runs, the agent state says paused with its reason, and a call cannot be paused', () => {
    const paused = run([{ type: 'paused', reason: 'lunch' }])
    expect(agentStateOf(paused)).toEqual({ state: 'paused', reason: 'lunch' })
    // a paused desk takes no lead (Alt+N says why)
    expect(run([takeProgressive], paused)).toMatchObject({ countdown: null, work: null })
    // pausing during a countdown stops it
    expect(run([takeProgressive, { type: 'paused', reason: 'break' }])).toMatchObject({
      countdown: null,
      work: { stage: 'preview' }
    })
    const calling = run([take, { type: 'dialRegistered', callId: 1 }])
    expect(run([{ type: 'paused', reason: 'break' }], calling).paused).toBeNull()
    // paused in wrap-up: still paused afterwards, and progressive does not move on by itself
    const wrapPaused = run([
      takeProgressive,
      { type: 'dialRegistered', callId: 1 },
      { type: 'lineAnswered' },
      ended(1),
      { type: 'paused', reason: 'break' }
    ])
    expect(agentStateOf(wrapPaused)).toEqual({ state: 'paused', reason: 'break' })
    expect(run([{ type: 'outcomeSaved', progressive: true }], wrapPaused).work).toMatchObject({ stage: 'saved' })
    expect(agentStateOf(run([{ type: 'resumed' }], wrapPaused))).toEqual({ state: 'wrap_up' })
  })

  it('every end of a call leads to wrap-up: not answered, failed to leave, hung up, and in any order of the line’s late news', () => {
    // the line failed before it was answered
    expect(run([take, { type: 'dialRegistered', callId: 3 }, ended(3)])).toMatchObject({
      line: 'free',
      work: { stage: 'wrap_up' }
    })
    // the line's "answered" arrives after its "ended" (a short call on a busy seat): it changes nothing
    const late = run([take, { type: 'dialRegistered', callId: 3 }, ended(3), { type: 'lineAnswered' }])
    expect(late).toMatchObject({ line: 'free', work: { stage: 'wrap_up' } })
    expect(canSaveOutcome(late)).toBe(true)
    expect(agentStateOf(late)).toEqual({ state: 'wrap_up' })
    // another call's end (a hand-dialled one) frees the line and leaves the lead alone
    expect(run([take, { type: 'lineDialing' }, { type: 'lineAnswered' }, ended(null)])).toMatchObject({
      line: 'free',
      work: { stage: 'preview' }
    })
  })

  it('an unfinished call given back by core after a reload comes back as wrap-up with its call', () => {
    const restored = run([
      {
        type: 'wrapUpRestored',
        lead,
        source: 'pool',
        callbackId: null,
        callbackNote: null,
        callId: 44,
        at: 0,
        wrapUpSec: 30
      }
    ])
    expect(restored).toMatchObject({ work: { stage: 'wrap_up', callId: 44 }, wrapUntil: 30_000 })
    expect(canSaveOutcome(restored)).toBe(true)
    expect(whyNoNext(restored)).toBe('outcomeFirst')
  })

  it('Alt+N with a lead not dialled yet gives that lead back first', () => {
    expect(undialedLead(run([take]))).toBe(7)
    expect(undialedLead(run([takeProgressive]))).toBe(7)
    expect(undialedLead(run([take, { type: 'dialRegistered', callId: 1 }]))).toBeNull()
    expect(canTakeNext(run([take]))).toBe(true)
    expect(run([take, { type: 'released' }]).work).toBeNull()
  })

  it('no state it can reach is a dead end: from each, some action or the line leads back to taking the next lead', () => {
    const alphabet: DeskEvent[] = [
      take,
      takeProgressive,
      {
        type: 'wrapUpRestored',
        lead,
        source: 'pool',
        callbackId: null,
        callbackNote: null,
        callId: 2,
        at: 0,
        wrapUpSec: 30
      },
      { type: 'queueEmpty', reason: 'x', nextAt: null },
      { type: 'countdownTick' },
      { type: 'countdownStopped' },
      { type: 'dialRegistered', callId: 1 },
      { type: 'dialRefused' },
      { type: 'lineDialing' },
      { type: 'lineAnswered' },
      ended(1),
      ended(2),
      ended(null),
      { type: 'cardSaved', lead },
      { type: 'outcomeSaved', progressive: false },
      { type: 'outcomeSaved', progressive: true },
      { type: 'released' },
      { type: 'paused', reason: 'break' },
      { type: 'resumed' }
    ]
    const key = (s: DeskState) => JSON.stringify(s)
    const seen = new Map<string, DeskState>([[key(initialDesk), initialDesk]])
    const edges = new Map<string, Set<string>>()
    const todo = [initialDesk]
    while (todo.length) {
      const s = todo.pop()!
      const out = new Set<string>()
      for (const e of alphabet) {
        const n = deskReducer(s, e)
        const k = key(n)
        out.add(k)
        if (!seen.has(k)) {
          seen.set(k, n)
          todo.push(n)
        }
      }
      edges.set(key(s), out)
    }
    expect(seen.size).toBeGreaterThan(20)
    // states from which taking the next lead is possible, grown backwards until nothing changes
    const good = new Set([...seen].filter(([, s]) => canTakeNext(s)).map(([k]) => k))
    for (let grew = true; grew;) {
      grew = false
      for (const [k, out] of edges) {
        if (good.has(k) || ![...out].some((o) => good.has(o))) continue
        good.add(k)
        grew = true
      }
    }
    const dead = [...seen.keys()].filter((k) => !good.has(k))
    expect(dead).toEqual([])
    // and the agent state is never 'on_call' or 'dialing' without a call on the line
    for (const s of seen.values())
      if (s.line === 'free') expect(['ready', 'wrap_up', 'paused']).toContain(agentStateOf(s).state)
  })
})

describe('a paused desk', () => {
  it('takes no lead and dials none until the operator is back to ready', () => {
    const paused = run([take, { type: 'paused', reason: 'break' }])
    expect(whyNoNext(paused)).toBe('paused')
    expect(canDial(paused)).toBe(false)
    const back = run([{ type: 'resumed' }], paused)
    expect(whyNoNext(back)).toBeNull()
    expect(canDial(back)).toBe(true)
  })
})
