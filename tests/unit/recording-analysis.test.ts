import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { analysePeaks } from '../../electron/core/recordings/analysis'
import { loginAs, makeCore, ok } from '../helpers/core'
import { PER_SEC, peaksOf } from '../helpers/peaks'

describe('the two channels of a call, without speech recognition', () => {
  it('measure talk shares, silence, talk-over, the longest monologue and the first customer word', () => {
    // operator 0–5 s and 13–15 s; customer 4–10 s; nobody 10–13 s and 15–20 s; 20 s in all
    const a = analysePeaks(
      peaksOf(
        20,
        [
          [0, 5],
          [13, 15]
        ],
        [[4, 10]]
      ),
      PER_SEC
    )
    const near = (v: number, want: number, tol: number) =>
      expect(Math.abs(v - want), `${v} vs ${want}`).toBeLessThanOrEqual(tol)
    expect(a.durationMs).toBe(20_000)
    // each turn runs on 250 ms past its last loud frame (pauses between words)
    near(a.operatorTalkShare, 7.5 / 20, 0.02)
    near(a.customerTalkShare, 6.25 / 20, 0.02)
    // both at once from 4 s until the operator's turn ends at 5.25 s
    near(a.talkOverMs, 1250, 60)
    // silences: 10.25–13 s and, the longest, 15.25–20 s
    near(a.longestSilenceMs, 4750, 60)
    near(a.silenceShare, (20 - 7.5 - 6.25 + 1.25) / 20, 0.02)
    // the monologue before the customer spoke: 0–4 s
    near(a.longestMonologueMs, 4000, 60)
    expect(a.firstCustomerWordMs).toBe(4000)
  })

  it('a customer who never speaks, and a quiet recording, are told apart from a live line', () => {
    const a = analysePeaks(peaksOf(10, [[0, 10]], []), PER_SEC)
    expect(a.firstCustomerWordMs).toBeNull()
    expect(a.customerTalkShare).toBe(0)
    expect(a.longestMonologueMs).toBe(10_000)
    const quiet = analysePeaks(peaksOf(5, [], []), PER_SEC)
    expect(quiet).toMatchObject({ operatorTalkShare: 0, customerTalkShare: 0, silenceShare: 1, longestSilenceMs: 5000 })
    expect(analysePeaks(Buffer.alloc(0), PER_SEC)).toMatchObject({
      durationMs: 0,
      silenceShare: 0,
      firstCustomerWordMs: null
    })
  })
})

describe('recordings.analysis', () => {
  let env: Awaited<ReturnType<typeof makeCore>>
  beforeEach(async () => {
    env = await makeCore()
  })
  afterEach(() => env.cleanup())

  it('reads the stored peaks and says who hung up; only those who may listen get it', async () => {
    const op1 = await loginAs(env.core, 'op1')
    const { callId } = await ok<{ callId: number }>(op1.invoke('calls.start', { direction: 'outbound', line: 'sip' }))
    const { recordingId } = await ok<{ recordingId: number }>(
      op1.invoke('recordings.start', { callId, mime: 'audio/webm' })
    )
    const peaks = peaksOf(6, [[0, 2]], [[3, 6]])
    for (let s = 0; s < 6; s++) {
      await ok(
        op1.invoke('recordings.chunk', {
          recordingId,
          seq: s,
          data: Buffer.from([s]).toString('base64'),
          peaks: peaks.subarray(s * 200, (s + 1) * 200).toString('base64'),
          durationMs: (s + 1) * 1000
        })
      )
    }
    await ok(op1.invoke('recordings.finish', { recordingId, durationMs: 6000 }))
    await ok(op1.invoke('calls.end', { callId, cause: 'customer', answered: true }))
    const qa = await loginAs(env.core, 'qa')
    const a = await ok<{ firstCustomerWordMs: number; hungUpBy: string; durationMs: number }>(
      qa.invoke('recordings.analysis', { id: recordingId })
    )
    expect(a).toMatchObject({ firstCustomerWordMs: 3000, hungUpBy: 'customer', durationMs: 6000 })
    const op2 = await loginAs(env.core, 'op2')
    expect(await op2.invoke('recordings.analysis', { id: recordingId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
  })
})
