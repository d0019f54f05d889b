import type { IncomingMessage, ServerResponse } from 'node:http'
import sirv from 'sirv'

/** The same policy the desktop window enforces: our own scripts only, and no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Ant Design injects its CSS-in-JS as <style> elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // recordings stream from the hub (self) or, in the desktop app, from our privileged scheme
  "media-src 'self' blob: mediastream: leadline-media:",
  // The hub's API, a team hub elsewhere on the LAN, and the SIP server's WebSocket.
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

/**
 * @param mediaOrigin the recordings' store, when the seats play from it directly (presigned URLs):
 * allowed as a media source, nothing else
 */
export function securityHeaders(res: ServerResponse, mediaOrigin: string | null = null): void {
  res.setHeader(
    'Content-Security-Policy',
    mediaOrigin
      ? CONTENT_SECURITY_POLICY.replace('leadline-media:', `leadline-media: ${mediaOrigin}`)
      : CONTENT_SECURITY_POLICY
  )
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Permissions-Policy', 'camera=(), geolocation=(), microphone=(self)')
}

/**
 * Serves the built renderer through sirv: the brotli or gzip file made at build time when the browser
 * takes it, ETag and Last-Modified with 304s, hashed assets cached for good (`immutable`) and
 * index.html and the other unhashed files revalidated on every load; unknown paths without an
 * extension get index.html (the UI routes in the browser); nothing outside the folder is reachable.
 */
export function staticHandler(root: string): (req: IncomingMessage, res: ServerResponse) => void {
  const serve = sirv(root, {
    brotli: true,
    gzip: true,
    etag: true,
    single: true,
    dev: false,
    setHeaders: (res, pathname) => {
      const hashed = pathname.startsWith('/assets/')
      res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
      if (pathname.endsWith('.js')) res.setHeader('Content-Type', 'text/javascript; charset=utf-8')
    }
  })
  return (req, res) =>
    serve(req, res, () => {
      // a file path that is not there (sirv serves index.html only for paths without an extension)
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found')
    })
}
