import { Readable } from 'node:stream'
import type { Core } from '../core'
import { parseRange } from '../core/recordings/media'

/**
 * leadline-media://media/<token>: recordings for the desktop player, with range requests, served
 * only through a grant core made after checking who may listen. The URL carries no path. The local
 * copy while there is one, else the range read from the recordings' store.
 */
export async function serveMedia(core: Core, request: Request): Promise<Response> {
  const token = new URL(request.url).pathname.replace(/^\/+/, '')
  const grant = core.media.get(token)
  const m = grant ? await core.recordings.archive.media(grant.recordingId ?? 0, grant.file).catch(() => null) : null
  if (!grant || !m) return new Response('not found', { status: 404 })
  const size = m.size
  const range = parseRange(request.headers.get('range'), size)
  const headers: Record<string, string> = { 'Content-Type': grant.contentType, 'Accept-Ranges': 'bytes' }
  if (range === 'unsatisfiable')
    return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` } })
  const { start, end } = range ?? { start: 0, end: size - 1 }
  headers['Content-Length'] = String(end - start + 1)
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`
  const body = size === 0 ? null : (Readable.toWeb(await m.open({ start, end })) as ReadableStream)
  return new Response(body, { status: range ? 206 : 200, headers })
}
