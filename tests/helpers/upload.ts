import type { CoreConnection } from '../../electron/core'

/** Sends a file through the contract in chunks, as the UI does. */
export async function upload(conn: CoreConnection, name: string, bytes: Buffer): Promise<string> {
  const begin = await conn.invoke('uploads.begin', { name, size: bytes.length })
  if (!begin.ok) throw new Error(begin.error.message)
  const { uploadId, chunkSize } = begin.value as { uploadId: string; chunkSize: number }
  for (let off = 0; off < bytes.length; off += chunkSize) {
    const r = await conn.invoke('uploads.chunk', {
      uploadId,
      offset: off,
      data: bytes.subarray(off, off + chunkSize).toString('base64')
    })
    if (!r.ok) throw new Error(r.error.message)
  }
  return uploadId
}
