import { z } from 'zod'
import { defineMethods } from './define'
import { MANAGERS, QA_ROLES } from './roles'
import { idSchema, isoTime, okOutput } from './common'
import { phoneQuery } from './leads'
import { CASE_CATEGORIES, CASE_CHANNELS, CASE_STATES } from './enums'

export type CaseCategory = (typeof CASE_CATEGORIES)[number]

export const complaintSchema = z.object({
  id: idSchema,
  /** Masked unless the reader's role sees numbers. */
  phone: z.string(),
  leadId: idSchema.nullable(),
  customer: z.string().nullable(),
  category: z.enum(CASE_CATEGORIES),
  channel: z.enum(CASE_CHANNELS),
  summary: z.string(),
  /** The calls it concerns; those with a recording can be played from the case. */
  calls: z.array(z.object({ callId: idSchema, startedAt: isoTime, recordingId: idSchema.nullable() })),
  followUpId: idSchema.nullable(),
  /** The operator of the calls concerned, and the list's supplier (for the reports). */
  operator: z.string().nullable(),
  supplier: z.string().nullable(),
  ownerId: idSchema.nullable(),
  owner: z.string().nullable(),
  state: z.enum(CASE_STATES),
  receivedAt: isoTime,
  dueAt: isoTime,
  /** Open past its due date. */
  overdue: z.boolean(),
  extendedAt: isoTime.nullable(),
  extendReason: z.string().nullable(),
  answerContact: z.string().nullable(),
  decision: z.string().nullable(),
  decidedAt: isoTime.nullable(),
  closedAt: isoTime.nullable(),
  createdBy: z.string().nullable(),
  createdAt: isoTime,
  /** The number was put on the do-not-call list by this case. */
  onDnc: z.boolean()
})
export type Complaint = z.infer<typeof complaintSchema>

export const complaintEventSchema = z.object({
  at: isoTime,
  by: z.string().nullable(),
  action: z.string(),
  note: z.string().nullable()
})

const caseId = z.object({ id: idSchema })

export const complaintsMethods = defineMethods({
  'complaints.list': {
    summary: 'Complaint cases: open ones with the overdue first, then by due date; or every case of a period.',
    input: z
      .object({
        state: z.enum(['open', 'all']).default('open'),
        limit: z.number().int().min(1).max(500).default(200)
      })
      .strict(),
    output: z.array(complaintSchema),
    roles: QA_ROLES
  },
  'complaints.get': {
    summary: 'One complaint case with its history (every step, who and when).',
    input: caseId.strict(),
    output: z.object({ complaint: complaintSchema, events: z.array(complaintEventSchema) }),
    roles: QA_ROLES
  },
  'complaints.open': {
    write: 'resend',
    summary:
      'Open a complaint case from a call (inbound, outbound, 回访), from the field or by hand: category, channel, the customer, the calls it concerns, owner; due 15 days after receipt by default. A 骚扰 complaint puts the number on the do-not-call list at once, across every campaign. Audited.',
    input: z
      .object({
        category: z.enum(CASE_CATEGORIES),
        channel: z.enum(CASE_CHANNELS),
        summary: z.string().trim().min(2).max(2000),
        /** The customer: a call of theirs, a lead, or a number typed (by hand). */
        callId: idSchema.optional(),
        leadId: idSchema.optional(),
        phone: phoneQuery.optional(),
        /** More calls it concerns (QA and supervisors). */
        callIds: z.array(idSchema).max(50).optional(),
        ownerId: idSchema.optional(),
        answerContact: z.string().trim().max(200).optional(),
        /** When the customer complained (YYYY-MM-DD, not in the future); today when omitted. */
        receivedOn: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional()
      })
      .strict(),
    output: complaintSchema,
    roles: ['operator', 'qa', 'supervisor', 'leader', 'field_agent', 'admin']
  },
  'complaints.move': {
    write: 'resend',
    summary:
      'Move a case on: handling, decided (with the decision), closed, or reopened (a closed case back to handling, with a reason). Audited.',
    input: z
      .object({
        id: idSchema,
        to: z.enum(['handling', 'decided', 'closed', 'reopened']),
        note: z.string().trim().max(2000).optional(),
        decision: z.string().trim().min(2).max(2000).optional(),
        answerContact: z.string().trim().max(200).optional()
      })
      .strict(),
    output: complaintSchema,
    roles: QA_ROLES
  },
  'complaints.extend': {
    write: 'resend',
    summary: 'Extend the decision deadline once, to 30 days after receipt by default, with a reason. Audited.',
    input: z.object({ id: idSchema, reason: z.string().trim().min(2).max(500) }).strict(),
    output: complaintSchema,
    roles: QA_ROLES
  },
  'complaints.assign': {
    write: 'resend',
    summary: 'Give a case to an owner (QA, a supervisor or an administrator). Audited.',
    input: z.object({ id: idSchema, ownerId: idSchema }).strict(),
    output: okOutput,
    roles: MANAGERS
  },
  'complaints.report': {
    summary:
      'Complaints received in a period: counts per category, per operator and per list supplier; cases decided and the days to decision (mean, longest), overdue ones.',
    input: z.object({ from: isoTime, to: isoTime }).strict(),
    output: z.object({
      total: z.number().int(),
      byCategory: z.record(z.string(), z.number().int()),
      byOperator: z.array(z.object({ operator: z.string(), n: z.number().int() })),
      bySupplier: z.array(z.object({ supplier: z.string(), n: z.number().int() })),
      decided: z.number().int(),
      meanDaysToDecision: z.number().nullable(),
      maxDaysToDecision: z.number().nullable(),
      decidedLate: z.number().int(),
      openOverdue: z.number().int()
    }),
    roles: QA_ROLES
  }
})
