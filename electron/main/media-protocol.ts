import { createReadStream, statSync } from 'node:fs'
import { Readable } from 'node:stream'
import type { Core } from '../core'
import { parseRange } from '../core/recordings/media'

/**
 * leadline-media://media/<token>: recordings for the desktop player, with range requests, served
 * only through a grant core made after checking who may listen. The URL carries no path.
 */
export async function serveMedia(core: Core, request: Request): Promise<Response> {
  const token = new URL(request.url).pathname.replace(/^\/+/, '')
  const grant = core.media.get(token)
  let size: number
  try {
    size = grant ? statSync(grant.file).size : -1
  } catch {
    size = -1
  }
  if (!grant || size < 0) return new Response('not found', { status: 404 })
  const range = parseRange(request.headers.get('range'), size)
  const headers: Record<string, string> = { 'Content-Type': grant.contentType, 'Accept-Ranges': 'bytes' }
  if (range === 'unsatisfiable')
    return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` } })
  const { start, end } = range ?? { start: 0, end: size - 1 }
  headers['Content-Length'] = String(end - start + 1)
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`
  const body = size === 0 ? null : (Readable.toWeb(createReadStream(grant.file, { start, end })) as ReadableStream)
  return new Response(body, { status: range ? 206 : 200, headers })
}
