import type { AgentState, DeskLead, PAUSE_REASONS } from '../../../../shared/contract'

/**
 * The desk's lifecycle as a pure reducer: the components render this state and dispatch events;
 * every guard ("may the operator dial now?") is a function of it, and so is the agent state the
 * supervisors see. A lifecycle cannot end where no action leads on: each stage has its way out
 * (tested in tests/unit/desk-machine.test.ts).
 *
 *   idle ──leadTaken──► preview ──dialing──► call ──lineEnded──► wrap_up ──outcomeSaved──► saved
 *                 └──► countdown (progressive) ─┘    (any end: answered or not,     │
 *   preview/countdown ──released──► idle             the line failed, hung up)      └─► idle (progressive)
 *
 * Pausing is orthogonal (the operator may pause in any stage but a call), and so is the line:
 * a hand-dialled call has no lead and leaves the lead's stage alone. A customer's return call that
 * the hub routed comes with its lead: it rings as the lead's call (inboundRang), and ends in its
 * wrap-up when answered, or gives the desk back when it stops ringing (inboundGone).
 */

export type PauseReason = (typeof PAUSE_REASONS)[number]
export type Stage = 'preview' | 'countdown' | 'call' | 'wrap_up' | 'saved'
export type LeadSource = 'callback' | 'batch' | 'pool'

export interface Work {
  lead: DeskLead
  source: LeadSource
  callbackId: number | null
  /** Why the lead is to be called back (the operator's own words, or QA's reason when a supervisor sent it back). */
  callbackNote: string | null
  /** The call made for this lead (its outcome belongs to it), once the desk registered it in core. */
  callId: number | null
  /** A return call of a customer whose visit is booked: it takes no sales outcome (the desk is free after it). */
  noOutcome?: boolean
  stage: Stage
}

export interface DeskState {
  work: Work | null
  /** The line, whatever the call (for a lead, dialled by hand, inbound). */
  line: 'free' | 'dialing' | 'in_call'
  /** Seconds before the progressive mode dials by itself (stage 'countdown'). */
  countdown: number | null
  /** When the wrap-up time runs out (ms on the page's monotonic clock), during 'wrap_up'. */
  wrapUntil: number | null
  paused: PauseReason | null
  /** Why the queue had nothing to give (shown in the empty desk). */
  empty: { reason: string; nextAt: string | null } | null
}

export type DeskEvent =
  | {
      type: 'leadTaken'
      lead: DeskLead
      source: LeadSource
      callbackId: number | null
      callbackNote: string | null
      progressiveSec: number | null
    }
  /** An unfinished call of this operator that core gave back (a reload, a crash, another browser): straight to wrap-up. */
  | {
      type: 'wrapUpRestored'
      lead: DeskLead
      source: LeadSource
      callbackId: number | null
      callbackNote: string | null
      callId: number
      at: number
      wrapUpSec: number
    }
  /** A customer's return call rings this seat (the hub routed it, with its lead): the card opens while it rings. */
  | {
      type: 'inboundRang'
      lead: DeskLead
      source: LeadSource
      callbackId: number | null
      callbackNote: string | null
      callId: number
    }
  /** The return call stopped ringing unanswered (the customer hung up, the operator rejected it). */
  | { type: 'inboundGone'; callId: number }
  | { type: 'queueEmpty'; reason: string; nextAt: string | null }
  | { type: 'countdownTick' }
  | { type: 'countdownStopped' }
  | { type: 'dialRegistered'; callId: number }
  | { type: 'dialRefused' }
  | { type: 'lineDialing' }
  | { type: 'lineAnswered' }
  | { type: 'lineEnded'; callId: number | null; at: number; wrapUpSec: number }
  | { type: 'cardSaved'; lead: DeskLead }
  | { type: 'outcomeSaved'; progressive: boolean }
  | { type: 'released' }
  | { type: 'paused'; reason: PauseReason }
  | { type: 'resumed' }

export const initialDesk: DeskState = {
  work: null,
  line: 'free',
  countdown: null,
  wrapUntil: null,
  paused: null,
  empty: null
}

export function deskReducer(s: DeskState, e: DeskEvent): DeskState {
  switch (e.type) {
    case 'leadTaken': {
      if (!canTakeNext(s)) return s
      const countdown = e.progressiveSec !== null && !s.paused ? e.progressiveSec : null
      return {
        ...s,
        work: {
          lead: e.lead,
          source: e.source,
          callbackId: e.callbackId,
          callbackNote: e.callbackNote,
          callId: null,
          stage: countdown !== null ? 'countdown' : 'preview'
        },
        countdown,
        wrapUntil: null,
        empty: null
      }
    }
    case 'wrapUpRestored':
      if (s.line !== 'free') return s
      return {
        ...s,
        work: {
          lead: e.lead,
          source: e.source,
          callbackId: e.callbackId,
          callbackNote: e.callbackNote,
          callId: e.callId,
          stage: 'wrap_up'
        },
        countdown: null,
        wrapUntil: e.at + e.wrapUpSec * 1000,
        empty: null
      }
    case 'inboundRang':
      // a desk with a lead in hand is not rung (core rings only free seats); a late ring changes nothing
      if (!canTakeNext(s) || (s.work && s.work.stage !== 'saved')) return s
      return {
        ...s,
        work: {
          lead: e.lead,
          source: e.source,
          callbackId: e.callbackId,
          callbackNote: e.callbackNote,
          callId: e.callId,
          stage: 'call',
          noOutcome: e.lead.status === 'accepted'
        },
        countdown: null,
        wrapUntil: null,
        empty: null
      }
    case 'inboundGone':
      return s.work?.callId === e.callId && s.work.stage === 'call' && s.line === 'free' ? { ...s, work: null } : s
    case 'queueEmpty':
      return canTakeNext(s) ? { ...s, work: null, countdown: null, empty: { reason: e.reason, nextAt: e.nextAt } } : s
    case 'countdownTick':
      return s.work?.stage === 'countdown' && s.countdown !== null && s.countdown > 0
        ? { ...s, countdown: s.countdown - 1 }
        : s
    case 'countdownStopped':
      return s.work?.stage === 'countdown' ? { ...s, work: { ...s.work, stage: 'preview' }, countdown: null } : s
    case 'dialRegistered':
      if (!s.work || (s.work.stage !== 'preview' && s.work.stage !== 'countdown')) return s
      return { ...s, work: { ...s.work, callId: e.callId, stage: 'call' }, line: 'dialing', countdown: null }
    case 'dialRefused':
      // core said no (the window closed, a cap): the lead stays in hand, in preview
      return s.work?.stage === 'countdown' ? { ...s, work: { ...s.work, stage: 'preview' }, countdown: null } : s
    case 'lineDialing':
      return s.line === 'free' ? { ...s, line: 'dialing' } : s
    case 'lineAnswered':
      // only a call being placed or answered can be answered: a late word from the line after its end changes nothing
      return s.line === 'dialing' ? { ...s, line: 'in_call' } : s
    case 'lineEnded': {
      const mine = s.work !== null && s.work.stage === 'call' && s.work.callId !== null && s.work.callId === e.callId
      if (!mine) return { ...s, line: 'free' }
      if (s.work!.noOutcome) return { ...s, line: 'free', work: null }
      // However the call ended (answered or not, failed, a recording that could not be closed), wrap-up follows.
      return { ...s, line: 'free', work: { ...s.work!, stage: 'wrap_up' }, wrapUntil: e.at + e.wrapUpSec * 1000 }
    }
    case 'cardSaved':
      return s.work && s.work.lead.id === e.lead.id ? { ...s, work: { ...s.work, lead: e.lead } } : s
    case 'outcomeSaved':
      if (s.work?.stage !== 'wrap_up') return s
      // Progressive mode moves straight on to the next lead.
      return { ...s, work: e.progressive && !s.paused ? null : { ...s.work, stage: 'saved' }, wrapUntil: null }
    case 'released':
      return canSkip(s) ? { ...s, work: null, countdown: null } : s
    case 'paused':
      if (!canPause(s)) return s
      // A countdown does not run for an operator who has stepped away.
      return {
        ...s,
        paused: e.reason,
        countdown: null,
        work: s.work?.stage === 'countdown' ? { ...s.work, stage: 'preview' } : s.work
      }
    case 'resumed':
      return { ...s, paused: null }
  }
}

/** Ready for another lead: no call on the line, and the lead in hand (if any) is finished or not dialled yet (it is given back first). */
export function canTakeNext(s: DeskState): boolean {
  return whyNoNext(s) === null
}

/** Alt+N refused: why (shown to the operator instead of doing nothing). */
export function whyNoNext(s: DeskState): 'inCall' | 'outcomeFirst' | 'paused' | null {
  if (s.line !== 'free') return 'inCall'
  if (s.work && (s.work.stage === 'call' || s.work.stage === 'wrap_up')) return 'outcomeFirst'
  // a paused operator (break, meeting …) takes no lead and dials none until back to ready
  if (s.paused) return 'paused'
  return null
}

/** The lead in hand that Alt+N gives back before taking the next one (it was never dialled). */
export function undialedLead(s: DeskState): number | null {
  return s.work && (s.work.stage === 'preview' || s.work.stage === 'countdown') ? s.work.lead.id : null
}

export function canDial(s: DeskState): boolean {
  return !s.paused && s.line === 'free' && !!s.work && (s.work.stage === 'preview' || s.work.stage === 'countdown')
}

export function canSkip(s: DeskState): boolean {
  return s.line === 'free' && !!s.work && (s.work.stage === 'preview' || s.work.stage === 'countdown')
}

export function canSaveOutcome(s: DeskState): boolean {
  return s.line === 'free' && s.work?.stage === 'wrap_up'
}

export function canPause(s: DeskState): boolean {
  return s.line === 'free'
}

/** What core records and the wallboard shows; derived, so it cannot disagree with the desk. */
export function agentStateOf(s: DeskState): { state: AgentState; reason?: PauseReason } {
  if (s.line === 'in_call') return { state: 'on_call' }
  if (s.line === 'dialing') return { state: 'dialing' }
  if (s.paused) return { state: 'paused', reason: s.paused }
  if (s.work?.stage === 'wrap_up') return { state: 'wrap_up' }
  return { state: 'ready' }
}
