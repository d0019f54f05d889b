import type { z } from 'zod'
import { auditMethods } from './audit'
import { campaignsMethods } from './campaigns'
import { deskMethods } from './desk'
import { authMethods } from './auth'
import { districtsMethods } from './districts'
import { leadsMethods } from './leads'
import { poolMethods } from './pool'
import { recordingsMethods } from './recordings'
import { qaMethods } from './qa'
import { dispatchMethods } from './dispatch'
import { reportsMethods } from './reports'
import { sipMethods } from './sip'
import { settingsMethods } from './settings'
import { systemMethods } from './system'
import { usersMethods } from './users'
import { scriptsMethods } from './scripts'
import { followUpsMethods } from './follow-ups'
import { smtpMethods } from './smtp'
import { dncMethods } from './dnc'
import { complaintsMethods } from './complaints'
import { privacyMethods } from './privacy'
import { callerIdMethods } from './caller-id'
import { smsMethods } from './sms'
import { storageMethods } from './storage'
import { apiKeysMethods } from './api-v1'
import { downloadsMethods } from './downloads'
import { uploadsMethods } from './uploads'
import { allocationMethods } from './allocation'
import { scorecardsMethods } from './scorecards'
import { callsMethods } from './calls'
import { teamsMethods } from './teams'
import { monitorMethods } from './monitor'

/**
 * The whole API: every method of every domain. One file per method prefix (`scripts.*` in
 * scripts.ts …), each a `defineMethods` map spread in here; core answers each through its domain.
 */
export const contract = {
  ...authMethods,
  ...usersMethods,
  ...teamsMethods,
  ...settingsMethods,
  ...systemMethods,
  ...auditMethods,
  ...districtsMethods,
  ...uploadsMethods,
  ...downloadsMethods,
  ...leadsMethods,
  ...dncMethods,
  ...complaintsMethods,
  ...privacyMethods,
  ...callerIdMethods,
  ...smsMethods,
  ...storageMethods,
  ...apiKeysMethods,
  ...poolMethods,
  ...allocationMethods,
  ...callsMethods,
  ...recordingsMethods,
  ...sipMethods,
  ...campaignsMethods,
  ...scriptsMethods,
  ...deskMethods,
  ...qaMethods,
  ...scorecardsMethods,
  ...dispatchMethods,
  ...followUpsMethods,
  ...smtpMethods,
  ...reportsMethods,
  ...monitorMethods
}

export type Contract = typeof contract
export type MethodName = keyof Contract
export type Input<M extends MethodName> = z.input<Contract[M]['input']>
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>
export type Output<M extends MethodName> = z.output<Contract[M]['output']>

export const METHOD_NAMES = Object.keys(contract) as MethodName[]
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract, name)
}

export * from './wire-names'
export * from './enums'
export * from './roles'
export * from './errors'
export * from './common'
export * from './events'
export * from './wire'
export type { SessionInfo } from './auth'
export type { Settings } from './settings'
export type { SystemInfo } from './system'
export type { MonitorMode, MonitorSession, MonitorSignal } from './monitor'
export type { AuditEntry } from './audit'
export type { District, DistrictCoverage } from './districts'
export * from './leads'
export * from './campaigns'
export * from './desk'
export * from './pool'
export * from './recordings'
export * from './qa'
export * from './dispatch'
export * from './reports'
export * from './sip'
export * from './teams'
export * from './dnc'
export * from './complaints'
export * from './privacy'
export * from './caller-id'
export * from './sms'
export * from './storage'
export * from './api-v1'
export { settingsSchema } from './settings'
