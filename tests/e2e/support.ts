import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, type Page } from '@playwright/test'
import { HubClient } from '../helpers/ws-client'
import { CENTRE_ZONE, E2E_CLOCK_START, E2E_PORT } from '../../playwright.config'

export const DEMO_PASSWORD = 'demo1234'

/** Logs in through the login page, as a person does. */
export async function loginUi(page: Page, username: string, password = DEMO_PASSWORD, at = '/'): Promise<void> {
  await page.goto(at)
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: /登\s*录/ }).click()
}

/** A WebSocket client of the test hub, logged in as a demo user (for checks behind the UI). */
export async function hubAs(username: string): Promise<HubClient> {
  const c = await HubClient.connect(`ws://127.0.0.1:${E2E_PORT}/api/ws`)
  expect((await c.call('auth.login', { username, password: DEMO_PASSWORD })).ok).toBe(true)
  return c
}

/** ffmpeg's report (Debian's ffmpeg writes it to stderr). */
export function ffmpeg(args: string): string {
  return execFileSync('sh', ['-c', `ffmpeg -hide_banner ${args} 2>&1`], { encoding: 'utf8' })
}

/** Mean volume (dB) of an audio file after an audio filter, e.g. 'pan=mono|c0=c1' for the right channel. */
export function meanVolume(file: string, filter: string): number {
  return Number(
    /mean_volume: (-?[\d.]+) dB/.exec(ffmpeg(`-i "${file}" -af "${filter},volumedetect" -f null -`))?.[1] ?? 'NaN'
  )
}

/**
 * When sound first starts in a file (ms), after an audio filter: the start of the first stretch of
 * sound at least `minMs` long between the silences ffmpeg's silencedetect finds (a click of the line
 * when the call connects is not the customer's voice).
 */
export function soundOnsetMs(file: string, filter: string, minMs = 300): number {
  const out = ffmpeg(`-i "${file}" -af "${filter},silencedetect=noise=-40dB:d=0.2" -f null -`)
  const starts = [...out.matchAll(/silence_start: (-?[\d.]+)/g)].map((m) => Math.max(0, Number(m[1])) * 1000)
  const ends = [...out.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]) * 1000)
  // sound runs from 0 (or the end of a silence) to the start of the next silence (or the end of the file)
  let from = starts.length && starts[0] <= 50 ? null : 0
  for (let i = 0; i < starts.length; i++) {
    if (from !== null && starts[i] - from >= minMs) return Math.round(from)
    from = ends[i] ?? null
  }
  return from === null ? NaN : Math.round(from)
}

/** Seconds of audio in a file, by decoding it whole (MediaRecorder's WebM has no duration header). */
export function decodedSeconds(file: string): number {
  const times = [...ffmpeg(`-i "${file}" -f null -`).matchAll(/time=(\d+):(\d+):([\d.]+)/g)].map(
    (m) => Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])
  )
  return times[times.length - 1] ?? NaN
}

/** The hub's clock now (it started at E2E_CLOCK_START when the run began, and runs at the normal pace). */
export function hubNow(): Date {
  return new Date(new Date(E2E_CLOCK_START).getTime() + (Date.now() - Number(process.env.LEADLINE_E2E_HUB_T0)))
}

/** "YYYY-MM-DD HH:mm:ss" of an instant in the centre's zone: what its pages show, and what their date pickers take. */
export function centreText(at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: CENTRE_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23'
  }).format(at)
}

/** "YYYY-MM-DD HH:mm" in the centre's zone (the date pickers' format). */
export function pickerText(at: Date): string {
  return centreText(at).slice(0, 16)
}

/** The centre's date on the hub's clock, YYYY-MM-DD. */
export function centreDay(at = hubNow()): string {
  return centreText(at).slice(0, 10)
}

/** On the desk after a call: Alt+1 (同意约访) and the visit time, two days on at the full hour, typed where the focus lands. */
export async function pickSuccessWithVisit(page: Page, soon = false): Promise<Date> {
  await page.keyboard.press('Alt+1')
  // in two days on the hour; or (soon) the first whole minute at least 75 s away, for a visit the test reports today
  const visit = soon
    ? new Date(Math.ceil((hubNow().getTime() + 75_000) / 60_000) * 60_000)
    : new Date(hubNow().getTime() + 2 * 86_400_000)
  if (!soon) visit.setMinutes(0)
  await expect(page.getByLabel('约定拜访时间')).toBeFocused()
  await page.keyboard.type(pickerText(visit))
  await page.keyboard.press('Enter')
  return visit
}

/** On the desk in a call: hang up (Alt+H), pick 同意约访 with a visit time, tick the consent, save (Ctrl+Enter); returns the visit time. */
export async function hangUpWithSuccess(page: Page, soon = false, beforeSave?: () => Promise<void>): Promise<Date> {
  await page.keyboard.press('Alt+H')
  await expect(page.getByTestId('agent-state')).toHaveText('话后整理', { timeout: 15_000 })
  const visit = await pickSuccessWithVisit(page, soon)
  await beforeSave?.()
  await page.getByLabel(/客户同意将其姓名/).check()
  await page.keyboard.press('Control+Enter')
  await expect(page.getByText('通话结果已保存')).toBeVisible({ timeout: 10_000 })
  return visit
}

/** A fresh operator for one test (so tests on the shared hub do not take each other's leads). */
export async function newOperator(
  prefix: string
): Promise<{ username: string; password: string; displayName: string }> {
  const admin = await hubAs('admin')
  const n = `${Date.now() % 1_000_000}${Math.floor(Math.random() * 100)}`
  const u = { username: `${prefix}${n}`, password: 'operator-pass-1', displayName: `测试坐席${n}` }
  const r = await admin.call('users.create', { ...u, role: 'operator', staffNo: `T${n}` })
  if (!r.ok) throw new Error(r.error.message)
  // a new operator joins the demo supervisor's team (一组), whose wallboard and reports show them
  const { teams } = await must<{ teams: { id: number; name: string }[] }>(admin, 'teams.list', {})
  await must(admin, 'users.update', {
    id: (r.value as { id: number }).id,
    teamId: teams.find((t) => t.name === '一组')!.id
  })
  admin.close()
  return u
}

/** The value of a hub call, or the test fails with its message. */
export async function must<T>(c: HubClient, method: string, input: unknown): Promise<T> {
  const r = await c.call(method, input)
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
  return r.value as T
}

/**
 * A campaign of its own for one test (settings as given), its leads imported from CSV rows
 * ("姓名,手机,…"), all in a new operator's batch for today on the hub's clock.
 */
export async function campaignForNewOperator(
  name: string,
  settings: Record<string, unknown>,
  csv: string,
  prefix: string
) {
  const sup = await hubAs('supervisor')
  try {
    const campaign = await must<{ id: number }>(sup, 'campaigns.create', { name })
    await must(sup, 'campaigns.update', { id: campaign.id, settings })
    const bytes = Buffer.from(csv)
    const { uploadId } = await must<{ uploadId: string }>(sup, 'uploads.begin', {
      name: 'leads.csv',
      size: bytes.length
    })
    await must(sup, 'uploads.chunk', { uploadId, offset: 0, data: bytes.toString('base64') })
    const preview = await must<{ mapping: (string | null)[] }>(sup, 'leads.previewImport', { uploadId, source: name })
    // one import at a time on the hub: a test in the other worker may be importing now
    let job: { jobId: string } | undefined
    await expect
      .poll(
        async () => {
          const r = await sup.call('leads.import', {
            uploadId,
            source: name,
            policy: 'skip',
            mapping: preview.mapping,
            campaignId: campaign.id
          })
          if (r.ok) job = r.value as { jobId: string }
          else if (r.error.key !== 'errors.importRunning') throw new Error(`leads.import: ${r.error.message}`)
          return job !== undefined
        },
        { timeout: 60_000, intervals: [250, 500, 1000] }
      )
      .toBe(true)
    await expect
      .poll(async () => (await must<{ state: string }>(sup, 'leads.importJob', { jobId: job!.jobId })).state)
      .toBe('done')
    const op = await newOperator(prefix)
    const opId = (await must<{ id: number; username: string }[]>(sup, 'users.list', { role: 'operator' })).find(
      (u) => u.username === op.username
    )!.id
    const day = centreDay()
    await must(sup, 'allocation.commit', {
      day,
      perOperator: csv.trim().split('\n').length - 1,
      operatorIds: [opId],
      campaignId: campaign.id
    })
    return { campaign, op }
  } finally {
    sup.close()
  }
}

/** The newest recording of an operator, fetched over HTTP as QA does, saved to a temporary file. */
export async function lastRecordingFile(operatorName: string, line?: 'sip' | 'simulated'): Promise<string> {
  const qa = await hubAs('qa')
  try {
    const recs = await must<{ id: number; operatorName: string; line: string; state: string }[]>(
      qa,
      'recordings.list',
      { limit: 50 }
    )
    const rec = recs.find((r) => r.operatorName === operatorName && (!line || r.line === line))!
    expect(rec).toMatchObject({ state: 'done' })
    const media = await must<{ path: string }>(qa, 'recordings.media', { id: rec.id })
    const bytes = Buffer.from(await (await fetch(`http://127.0.0.1:${E2E_PORT}${media.path}`)).arrayBuffer())
    const file = join(mkdtempSync(join(tmpdir(), 'leadline-rec-')), 'call.webm')
    writeFileSync(file, bytes)
    return file
  } finally {
    qa.close()
  }
}

/** The QA player's position in whole seconds (its mm:ss clock). */
export async function playerSeconds(page: Page): Promise<number> {
  const [m, s] = ((await page.getByTestId('player-time').textContent()) ?? '').split(' / ')[0].split(':').map(Number)
  return m * 60 + s
}
