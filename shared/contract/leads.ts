import { z } from 'zod'
import { LEAD_STATUSES } from './enums'
import { defineMethods } from './define'
import { MANAGERS } from './roles'
import { emptyInput, idSchema, isoTime, okOutput } from './common'
import { LEAD_FIELDS } from '../domain/lead-columns'

export const leadStatusSchema = z.enum(LEAD_STATUSES)
export const leadFieldSchema = z.enum(LEAD_FIELDS)
export const encodingSchema = z.enum(['utf-8', 'gb18030', 'gbk', 'utf-16le'])
const policySchema = z.enum(['skip', 'fill', 'attach'])
export const uploadId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/)
export const phoneQuery = z.string().max(64)

export const importCountsSchema = z.object({
  rows: z.number().int(),
  imported: z.number().int(),
  duplicatesInFile: z.number().int(),
  duplicatesInPool: z.number().int(),
  invalid: z.number().int(),
  dnc: z.number().int(),
  warnings: z.number().int(),
  /** Imported numbers from another city than the centre's (号码归属地), and of those from another province. */
  outsideCity: z.number().int(),
  outsideProvince: z.number().int()
})

export const importPreviewSchema = z.object({
  kind: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  sheet: z.string().nullable(),
  sheets: z.array(z.string()),
  headerRowNo: z.number().int(),
  headers: z.array(z.string()),
  sample: z.array(z.array(z.string())),
  totalRows: z.number().int(),
  mapping: z.array(leadFieldSchema.nullable()),
  mappingFrom: z.enum(['saved', 'suggested'])
})
export type ImportPreview = z.infer<typeof importPreviewSchema>

export const importJobSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** Reading and checking the list (nothing in the pool yet; can be cancelled), then writing it into the pool. */
  phase: z.enum(['reading', 'writing']),
  fileName: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  result: importCountsSchema.extend({ batchId: idSchema }).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable()
})
export type ImportJob = z.infer<typeof importJobSchema>

export const batchSchema = importCountsSchema.omit({ warnings: true }).extend({
  id: idSchema,
  fileName: z.string(),
  source: z.string(),
  /** The campaign the list was imported into. */
  campaignId: idSchema,
  campaignName: z.string(),
  kind: z.string(),
  encoding: z.string().nullable(),
  policy: policySchema,
  createdAt: isoTime,
  createdBy: z.string().nullable()
})
export type ImportBatch = z.infer<typeof batchSchema>

export const leadSummarySchema = z.object({
  id: idSchema,
  /** Masked (138****5678) for roles that may not see numbers. */
  phone: z.string(),
  phoneKind: z.enum(['mobile', 'landline']),
  /** 号码归属地 (广西南宁市) and the carrier of the number's range; '' when not known. */
  phoneRegion: z.string(),
  phoneCarrier: z.string(),
  name: z.string().nullable(),
  gender: z.enum(['M', 'F']).nullable(),
  birthDate: z.string().nullable(),
  /** Whole years: from the birth date, else from the age the list stated on import (then approximate). */
  age: z.number().int().nullable(),
  ageApprox: z.boolean(),
  address: z.string().nullable(),
  districtCode: z.string().nullable(),
  status: leadStatusSchema,
  batchId: idSchema,
  ownerId: idSchema.nullable(),
  attempts: z.number().int(),
  createdAt: isoTime
})
export type LeadSummary = z.infer<typeof leadSummarySchema>

export const leadFilterSchema = z
  .object({
    q: z.string().max(64).optional(),
    status: z.array(leadStatusSchema).max(10).optional(),
    batchId: idSchema.optional(),
    districtCode: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
    /** 号码归属地: a province (广西), optionally a city in it (南宁市). */
    phoneProvince: z.string().max(16).optional(),
    phoneCity: z.string().max(32).optional(),
    ownerId: idSchema.nullable().optional(),
    minAttempts: z.number().int().min(0).optional(),
    maxAttempts: z.number().int().min(0).optional(),
    createdFrom: z.string().max(32).optional(),
    createdTo: z.string().max(32).optional()
  })
  .strict()

export const leadsMethods = defineMethods({
  'leads.previewImport': {
    summary: 'Read an uploaded list: encoding, sheets, headers, the first rows and a column mapping.',
    input: z
      .object({
        uploadId,
        encoding: encodingSchema.optional(),
        sheet: z.string().max(64).optional(),
        source: z.string().max(64).optional()
      })
      .strict(),
    output: importPreviewSchema,
    roles: MANAGERS
  },
  'leads.import': {
    write: 'live',
    summary: 'Import an uploaded list into the pool, all or nothing, in the background.',
    input: z
      .object({
        uploadId,
        source: z.string().trim().min(1).max(64),
        policy: policySchema,
        mapping: z.array(leadFieldSchema.nullable()).min(1).max(200),
        encoding: encodingSchema.optional(),
        sheet: z.string().max(64).optional(),
        campaignId: idSchema.optional()
      })
      .strict(),
    output: importJobSchema,
    roles: MANAGERS
  },
  'leads.importJob': {
    summary: 'Where an import stands.',
    input: z.object({ jobId: z.string().max(64) }).strict(),
    output: importJobSchema,
    roles: MANAGERS
  },
  'leads.cancelImport': {
    write: 'live',
    summary: 'Stop a running import; the pool stays as it was.',
    input: z.object({ jobId: z.string().max(64) }).strict(),
    output: okOutput,
    roles: MANAGERS
  },
  'leads.batches': {
    summary: 'Import batches, newest first.',
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    output: z.array(batchSchema),
    roles: MANAGERS
  },
  'leads.importReport': {
    summary: 'The per-row report of an import (rows not imported, with the reason) as a download.',
    input: z.object({ batchId: idSchema, format: z.enum(['xlsx', 'csv']) }).strict(),
    output: z.object({ token: z.string(), fileName: z.string(), rows: z.number().int() }),
    roles: MANAGERS
  },
  'leads.importRows': {
    write: 'live',
    summary:
      'The first rows of an import’s report on screen: rows not imported and rows imported with a warning, with the reason in words and the number’s 归属地.',
    input: z.object({ batchId: idSchema, limit: z.number().int().min(1).max(500).default(200) }).strict(),
    output: z.object({
      total: z.number().int(),
      rows: z.array(
        z.object({
          rowNo: z.number().int(),
          outcome: z.string(),
          reason: z.string(),
          phone: z.string(),
          region: z.string(),
          carrier: z.string()
        })
      )
    }),
    roles: MANAGERS
  },
  'leads.regions': {
    summary: 'The 归属地 of the pool’s numbers (province and city) with how many leads each, for the filters.',
    input: emptyInput,
    output: z.array(z.object({ province: z.string(), city: z.string(), leads: z.number().int() })),
    roles: ['supervisor', 'admin', 'operator', 'qa']
  },
  'leads.search': {
    summary: 'Search the pool as people type, with filters; newest first, paged by beforeId.',
    input: leadFilterSchema
      .extend({ beforeId: idSchema.optional(), limit: z.number().int().min(1).max(500).default(100) })
      .strict(),
    output: z.object({ rows: z.array(leadSummarySchema), nextBeforeId: idSchema.nullable() }),
    roles: ['supervisor', 'admin', 'operator']
  },
  'leads.get': {
    summary: 'One lead with its history: imports, allocations and events.',
    input: z.object({ id: idSchema }).strict(),
    output: leadSummarySchema.extend({
      idNo: z.string().nullable(),
      employer: z.string().nullable(),
      occupation: z.string().nullable(),
      note: z.string().nullable(),
      extra: z.record(z.string(), z.string()),
      batches: z.array(z.object({ id: idSchema, fileName: z.string(), source: z.string(), createdAt: isoTime })),
      history: z.array(
        z.object({
          at: isoTime,
          kind: z.string(),
          user: z.string().nullable(),
          details: z.record(z.string(), z.unknown()).nullable()
        })
      )
    }),
    roles: ['supervisor', 'admin', 'operator']
  }
})

export { LEAD_STATUSES }
