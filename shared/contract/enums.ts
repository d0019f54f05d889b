/**
 * The closed lists of the contract as plain values, without zod: the UI imports these (and types)
 * without pulling every schema into the first page it loads. The contract's enums are made from them.
 */
export const LOCALES = ['zh-CN', 'en'] as const

/** Every role the product knows. A user has exactly one. */
export const ROLES = ['operator', 'qa', 'supervisor', 'leader', 'field_agent', 'admin'] as const

export const VERDICTS = ['pass', 'fail', 'fix'] as const

export const QA_STATES = ['none', 'queued', 'claimed', 'pass', 'fail', 'fix'] as const

export const LIBRARY_SORTS = [
  'startedAt',
  'durationMs',
  'talkOverShare',
  'silenceShare',
  'longestMonologueMs',
  'operatorTalkShare'
] as const

/** The metrics a review-queue rule can test. */
export const RULE_METRICS = [
  'talkOverShare',
  'silenceShare',
  'longestSilenceMs',
  'longestMonologueMs',
  'operatorTalkShare',
  'customerTalkShare',
  'firstCustomerWordMs'
] as const

export const LEAD_STATUSES = [
  'new',
  'allocated',
  'in_queue',
  'in_call',
  'callback',
  'accepted',
  'refused',
  'invalid_number',
  'dnc',
  'exhausted'
] as const

export const PAUSE_REASONS = ['break', 'lunch', 'training', 'meeting', 'coaching', 'system'] as const

export const PAYMENT_FREQUENCIES = ['single', 'annual', 'semiannual', 'quarterly', 'monthly'] as const

export const VISIT_RESULTS = ['visited', 'signed', 'not_interested', 'absent', 'rescheduled'] as const

/** Why an operator passes over a lead without dialling it (跳过). */
export const SKIP_REASONS = ['bad_data', 'suspicious', 'not_target', 'not_now', 'other'] as const
export type SkipReason = (typeof SKIP_REASONS)[number]

export const COMPLAINT_CATEGORIES = ['late', 'attitude', 'competence', 'misSold', 'other'] as const

export const SEVEN_POINTS = [
  'identity',
  'bought',
  'readDocuments',
  'coverage',
  'surrender',
  'coolingOff',
  'payment'
] as const

export const FUNNEL_STEPS = [
  'imported',
  'dialed',
  'contacted',
  'accepted',
  'qaPassed',
  'assigned',
  'visited',
  'signed',
  'followedUp'
] as const

/** 监听, 耳语, 强插: how a supervisor takes part in an operator's call. */
export const MONITOR_MODES = ['listen', 'whisper', 'barge'] as const

/** Refusals of a file that no other encoding or sheet can turn into a list: the upload goes with them. */
export const NOT_A_LIST_ERRORS: readonly string[] = ['errors.notASpreadsheet', 'errors.binaryFile', 'errors.emptyFile']

/** Where a do-not-call entry comes from. */
export const DNC_SOURCES = ['customer_request', 'refusal', 'complaint', 'external_list', 'regulator'] as const
/** Where it applies: every campaign, one insurer's campaigns, or one campaign. */
export const DNC_SCOPES = ['all', 'insurer', 'campaign'] as const
/** What it stops: calls, SMS, or both. */
export const DNC_CHANNELS = ['all', 'call', 'sms'] as const

/** 投诉 categories of a complaint case: 骚扰/频繁来电 puts the number on the do-not-call list at once. */
export const CASE_CATEGORIES = ['harassment', 'misSold', 'privacy', 'attitude', 'other'] as const
/** How the complaint came in. */
export const CASE_CHANNELS = [
  'call',
  'follow_up',
  'field',
  'hotline',
  'letter',
  'regulator',
  'online',
  'other'
] as const
/** received → handling → decided → closed (a closed case may be reopened: back to handling). */
export const CASE_STATES = ['received', 'handling', 'decided', 'closed'] as const

/** Why a caller number was picked for a call (or none). */
export const PICK_REASONS = ['sameCustomerToday', 'sameCity', 'sameProvince', 'any', 'customerRests', 'none'] as const

/** What an integration API key may do (shared/contract/api-v1.ts). pii:read: full phone numbers in what it reads, every use audited. */
export const API_SCOPES = [
  'campaigns:read',
  'leads:write',
  'leads:read',
  'pii:read',
  'events:read',
  'dnc:write',
  'webhooks:write',
  'policies:write'
] as const
/** What a webhook may ask to be told of. */
export const WEBHOOK_EVENTS = [
  'outcome.saved',
  'lead.success',
  'visit.reported',
  'policy.signed',
  'followup.done',
  'complaint.opened'
] as const
