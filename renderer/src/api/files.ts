import type { ApiClient } from './client'
import { MEDIA_SCHEME } from '../../../shared/contract/wire-names'

/** Bytes as base64, in slices (spreading a whole buffer into fromCharCode overflows the stack). */
export function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

/** Sends a file to core in chunks (the same over IPC and the hub), reporting progress 0..1. */
export async function uploadFile(api: ApiClient, file: File, onProgress: (share: number) => void): Promise<string> {
  const { uploadId, chunkSize } = await api.invoke('uploads.begin', { name: file.name, size: file.size })
  for (let offset = 0; offset < file.size; offset += chunkSize) {
    const bytes = new Uint8Array(await file.slice(offset, offset + chunkSize).arrayBuffer())
    await api.invoke('uploads.chunk', { uploadId, offset, data: toBase64(bytes) })
    onProgress(Math.min(1, (offset + bytes.length) / file.size))
  }
  return uploadId
}

function save(href: string, fileName: string): void {
  const a = document.createElement('a')
  a.href = href
  a.download = fileName
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
}

/** Saves an offered download: over HTTP from the hub, or through the contract on the desktop. */
export async function download(api: ApiClient, token: string, fileName: string): Promise<void> {
  if (api.kind === 'ws' && api.url) {
    save(api.url.replace(/^ws/, 'http').replace(/\/api\/ws$/, `/api/download/${token}`), fileName)
    return
  }
  const f = await api.invoke('downloads.read', { token })
  const bin = atob(f.data)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  const url = URL.createObjectURL(new Blob([bytes], { type: f.contentType }))
  save(url, f.fileName)
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Where the player streams a recording from: the hub's media path, or the desktop's privileged protocol. */
export async function recordingUrl(api: ApiClient, recordingId: number): Promise<string> {
  const m = await api.invoke('recordings.media', { id: recordingId })
  // a signed address in the recordings' store: for a page the hub served (its policy allows that store)
  if (m.url && api.kind === 'ws' && window.location.protocol.startsWith('http')) return m.url
  if (api.kind === 'ws' && api.url) return api.url.replace(/^ws/, 'http').replace(/\/api\/ws$/, m.path)
  return `${MEDIA_SCHEME}://media/${m.token}`
}
