import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createWriteStream, readFileSync } from 'node:fs'
import { join } from 'node:path'
import archiver from 'archiver'
import { fingerprint, loginAs, makeCore } from '../helpers/core'

let env: Awaited<ReturnType<typeof makeCore>>
beforeEach(async () => {
  env = await makeCore({ demo: true, demoLeads: false })
})
afterEach(() => env.cleanup())

/** An "XLSX" whose sheet is 300 MB of one repeated row: a few hundred KB on disk. */
async function bomb(file: string): Promise<Buffer> {
  const zip = archiver('zip', { zlib: { level: 9 } })
  const out = createWriteStream(file)
  const done = new Promise<void>((ok) => out.on('close', () => ok()))
  zip.pipe(out)
  zip.append('<?xml version="1.0"?><Types/>', { name: '[Content_Types].xml' })
  const row = '<row><c t="inlineStr"><is><t>张伟</t></is></c></row>'
  zip.append(Buffer.from(row.repeat(Math.ceil((300 * 1024 * 1024) / row.length))), { name: 'xl/worksheets/sheet1.xml' })
  await zip.finalize()
  await done
  return readFileSync(file)
}

describe('a list that would exhaust the hub', () => {
  it('an XLSX that unpacks to hundreds of MB at a bomb’s ratio is refused in words before it is unpacked, and nothing is imported', async () => {
    const bytes = await bomb(join(env.dir, 'bomb.xlsx'))
    expect(bytes.length).toBeLessThan(5 * 1024 * 1024)
    const before = fingerprint(env.core)
    const err = (await env.core.leads
      .importFile(
        bytes,
        { fileName: 'bomb.xlsx', source: 'x', campaignId: 1, policy: 'skip', userId: null },
        {},
        'test'
      )
      .catch((e: unknown) => e)) as { key: string; toShape(l: string): { message: string } }
    expect(err.key).toBe('errors.zipTooBig')
    expect(err.toShape('zh-CN').message).toMatch(/^这个 Excel 文件解压后异常巨大（ratio \d+）/)
    await expect(env.core.leads.preview(bytes, {})).rejects.toMatchObject({ key: 'errors.zipTooBig' })
    expect(fingerprint(env.core)).toBe(before)
  })

  it('an upload past the limit is refused at its start, in words', async () => {
    const sup = await loginAs(env.core, 'supervisor')
    const r = await sup.invoke('uploads.begin', { name: 'huge.csv', size: 500 * 1024 * 1024 })
    expect(r).toMatchObject({
      ok: false,
      error: {
        key: 'errors.uploadTooBig',
        message: '文件太大（500 MB）：名单文件最大 200 MB。请把名单分成几个文件导入'
      }
    })
  })
})
