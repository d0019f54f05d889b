import { z } from 'zod'
import { defineMethods } from './define'
import { isoTime, idSchema, okOutput } from './common'
import { phoneQuery } from './leads'

/** The privacy officer: an administrator. */
const OFFICER = ['admin'] as const

const removedSchema = z.object({
  leads: z.number().int(),
  calls: z.number().int(),
  recordings: z.number().int(),
  outcomes: z.number().int(),
  dispatches: z.number().int(),
  followUps: z.number().int(),
  complaints: z.number().int(),
  importRows: z.number().int(),
  dncEntries: z.number().int(),
  auditEntries: z.number().int()
})

export const retentionReportSchema = z.object({
  at: isoTime,
  dryRun: z.boolean(),
  rules: z.record(z.string(), z.number()),
  cutoffs: z.record(z.string(), isoTime),
  removed: z.record(z.string(), z.number().int())
})
export type RetentionReportOut = z.infer<typeof retentionReportSchema>

export const privacyMethods = defineMethods({
  'privacy.lookup': {
    summary:
      'What is held about one phone number: its leads (card), calls, recordings, visits, complaint cases, do-not-call entries, and whether a legal duty keeps some of it (a signed sale, an open case).',
    input: z.object({ phone: phoneQuery }).strict(),
    output: z.object({
      phone: z.string(),
      leads: z.array(
        z.object({
          id: idSchema,
          name: z.string().nullable(),
          campaign: z.string(),
          status: z.string(),
          address: z.string().nullable(),
          idNo: z.string().nullable(),
          birthDate: z.string().nullable(),
          gender: z.string().nullable(),
          employer: z.string().nullable(),
          occupation: z.string().nullable(),
          note: z.string().nullable()
        })
      ),
      calls: z.number().int(),
      recordings: z.number().int(),
      dispatches: z.number().int(),
      complaints: z.number().int(),
      dncEntries: z.number().int(),
      signedSales: z.number().int(),
      openCases: z.number().int(),
      erasures: z.array(
        z.object({ id: idSchema, at: isoTime, by: z.string().nullable(), reason: z.string(), kind: z.string() })
      )
    }),
    roles: OFFICER
  },
  'privacy.export': {
    summary:
      'Everything held about one phone number as one ZIP (a workbook to read, the same as JSON, every recording) for the customer. Audited without the number.',
    input: z.object({ phone: phoneQuery }).strict(),
    output: z.object({
      token: z.string(),
      fileName: z.string(),
      leads: z.number().int(),
      calls: z.number().int(),
      recordings: z.number().int()
    }),
    roles: OFFICER
  },
  'privacy.erase': {
    write: 'resend',
    summary:
      'Erase one customer where no legal duty keeps the data (a signed sale stays for its years; an open visit or case until done): leads, calls, recordings and their files, history; the number stopped for good by its keyed hash. Leaves a proof without the number.',
    input: z.object({ phone: phoneQuery, reason: z.string().trim().min(2).max(300) }).strict(),
    output: z.object({
      proofId: idSchema,
      phoneHash: z.string(),
      removed: removedSchema,
      kept: z.object({ signedSales: z.number().int(), openCases: z.number().int() }),
      files: z.number().int()
    }),
    roles: OFFICER
  },
  'privacy.correct': {
    write: 'resend',
    summary:
      'Correct a customer’s card (name, gender, birth date, ID number, address, employer, occupation, note). Audited by field, without the values.',
    input: z
      .object({
        leadId: idSchema,
        fields: z
          .object({
            name: z.string().trim().max(64).nullable(),
            gender: z.enum(['M', 'F']).nullable(),
            birth_date: z
              .string()
              .regex(/^\d{4}-\d{2}-\d{2}$/)
              .nullable(),
            id_no: z
              .string()
              .regex(/^\d{17}[\dXx]$/)
              .nullable(),
            address: z.string().trim().max(200).nullable(),
            employer: z.string().trim().max(100).nullable(),
            occupation: z.string().trim().max(64).nullable(),
            note: z.string().trim().max(1000).nullable()
          })
          .partial()
          .strict()
      })
      .strict(),
    output: okOutput,
    roles: OFFICER
  },
  'privacy.withdrawConsent': {
    write: 'resend',
    summary:
      'The customer withdraws consent: no contact again by any channel in any campaign (a permanent do-not-call entry). Audited.',
    input: z.object({ phone: phoneQuery, reason: z.string().trim().min(2).max(300) }).strict(),
    output: z.object({ leadsStopped: z.number().int() }),
    roles: OFFICER
  },
  'retention.run': {
    write: 'live',
    summary:
      'Apply the retention rules now (or only say what they would remove, dryRun): supplier rows, unsigned and refused leads with their recordings, signed ones past their years, exports and uploads left on disk.',
    input: z.object({ dryRun: z.boolean().default(true) }).strict(),
    output: retentionReportSchema,
    roles: OFFICER
  },
  'retention.last': {
    summary: 'The last retention run (by the daily timer or by hand) and what it removed.',
    input: z.object({}).strict(),
    output: retentionReportSchema.nullable(),
    roles: OFFICER
  }
})
