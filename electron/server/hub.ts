import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { API_BASE, restApi } from './rest'
import {
  HUB_MEDIA_PATH,
  HUB_WS_PATH,
  PBX_DIAL_PATH,
  PBX_INBOUND_PATH,
  wsRequestSchema,
  type WsServerFrame
} from '../../shared/contract'
import { join } from 'node:path'
import { parseRange } from '../core/recordings/media'
import { UPDATES_FOLDER } from '../core/system/updates'
import { translate } from '../../shared/i18n'
import type { Core, Logger } from '../core'
import { securityHeaders, staticHandler } from './static'
import type { HubCredentials } from './tls'
import { jsonTooDeep, peekId } from './frames'

export interface HubOptions {
  core: Core
  /** Defaults to 127.0.0.1: the hub is shared on the LAN only when asked to. */
  host?: string
  port?: number
  /** The built renderer (out/renderer); null serves the API only. */
  staticDir?: string | null
  logger?: Logger
  /** Largest WebSocket frame accepted. */
  maxPayload?: number
  /** Serve HTTPS and WSS with these; plain HTTP on the same port is then answered with a redirect to https. */
  tls?: HubCredentials | null
  /** Browser origins allowed besides the hub's own (a web app of the centre that embeds the hub). */
  origins?: string[]
  /** Open sockets allowed from one address, and in all (a flood is refused, the floor keeps working). */
  maxConnectionsPerAddress?: number
  maxConnections?: number
}

export interface Hub {
  readonly url: string
  /** HTTPS and WSS. */
  readonly secure: boolean
  /** A renewed certificate, taken by new connections at once. */
  setCredentials(c: HubCredentials): void
  readonly port: number
  readonly host: string
  /** Open WebSocket connections. */
  connections(): number
  close(): Promise<void>
}

/**
 * A ping every 5 s; a socket that has not answered the previous one is dropped, so a seat whose
 * network or machine went away is known to be gone within 10 s (its desk goes 离线).
 */
const HEARTBEAT_MS = 5_000
/** No frame of the contract nests deeper than this; deeper is refused before parsing. */
const MAX_DEPTH = 32
/** Before login a socket has only tiny things to say (auth.login, auth.resume, system.info). */
const MAX_ANONYMOUS_FRAME = 16 * 1024
/** Requests one socket may have in flight; more are refused at once (a desk has a handful). */
const MAX_IN_FLIGHT = 32
/**
 * Before login a page says a handful of things (system.info, auth.resume, a few tries of auth.login):
 * a bucket of this many frames, refilled by one a second. A socket that spends it is closed, so a flood
 * of logins costs its sender a new connection per few frames instead of costing the floor its hub.
 */
const ANONYMOUS_BURST = 12
/** A logged-in socket refused this many times within a second is flooding, not working: it is closed. */
const MAX_REFUSED_PER_SECOND = 256

/**
 * The hub: the contract over WebSocket (one core connection, and so one login session, per
 * socket) and plain HTTP for the renderer and downloads. Auth travels inside the socket
 * (auth.login / auth.resume), never in cookies, so a foreign page cannot ride a user's session.
 */
export async function startHub(opts: HubOptions): Promise<Hub> {
  const { core } = opts
  const host = opts.host ?? '127.0.0.1'
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? 4 * 1024 * 1024 })
  const alive = new WeakMap<WebSocket, boolean>()
  const rest = restApi(core, opts.logger)
  const serveStatic = opts.staticDir && existsSync(opts.staticDir) ? staticHandler(opts.staticDir) : null

  const handle: RequestListener = (req, res) => {
    securityHeaders(res, core.recordings.archive.seatOrigin())
    // over https, browsers are told to come back over https only (a seat on the LAN typed http:// once)
    if (opts.tls) res.setHeader('Strict-Transport-Security', 'max-age=31536000')
    const url = new URL(req.url ?? '/', 'http://hub')
    if (url.pathname === '/healthz') {
      // seats following the write lease ask each hub: the one that answers 'primary' with the highest epoch writes
      const c = core.cluster()
      res
        .writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' })
        .end(JSON.stringify({ ok: true, role: 'primary', epoch: c.epoch }))
      return
    }
    if (url.pathname.startsWith(PBX_DIAL_PATH)) {
      if (req.method !== 'GET') {
        res.writeHead(405).end()
        return
      }
      const answer = opts.core.pbxResolve(
        req.headers.authorization,
        url.pathname.slice(PBX_DIAL_PATH.length),
        url.searchParams.get('from') ?? '',
        `pbx ${req.socket.remoteAddress ?? ''}`
      )
      res.writeHead(answer.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(answer.body)
      return
    }
    if (url.pathname === PBX_INBOUND_PATH) {
      if (req.method !== 'GET') {
        res.writeHead(405).end()
        return
      }
      const answer = opts.core.pbxInbound(
        req.headers.authorization,
        url.searchParams.get('from') ?? '',
        url.searchParams.get('to') ?? ''
      )
      res.writeHead(answer.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(answer.body)
      return
    }
    // 短信: the gateway's delivery reports and the customers' replies (退订)
    if (url.pathname === '/sms/dlr' || url.pathname.startsWith('/sms/mo/')) {
      const q = url.searchParams
      const sms = opts.core.sms
      if (url.pathname === '/sms/dlr') {
        const done = sms.deliveryReport(Number(q.get('id')), q.get('k') ?? '', Number(q.get('status')))
        res.writeHead(done ? 200 : 404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(done ? 'ok' : 'unknown')
        return
      }
      const r = sms.reply(url.pathname.slice('/sms/mo/'.length), q.get('from') ?? '', q.get('text') ?? '')
      // Kannel sends an answer's body back to the handset: none
      res.writeHead(r === 'refused' ? 403 : 200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('')
      return
    }
    if (url.pathname.startsWith('/api/download/'))
      return download(url.pathname.slice('/api/download/'.length), req, res)
    if (url.pathname.startsWith(HUB_MEDIA_PATH)) return media(url.pathname.slice(HUB_MEDIA_PATH.length), req, res)
    if (url.pathname.startsWith('/updates/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end()
        return
      }
      return updates(url.pathname.slice('/updates/'.length), req, res)
    }
    if (url.pathname === API_BASE || url.pathname.startsWith(`${API_BASE}/`)) return void rest(req, res, url)
    if (url.pathname.startsWith('/api/')) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'NOT_FOUND' } }))
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end()
      return
    }
    if (!serveStatic) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('LeadLine hub: API only')
      return
    }
    serveStatic(req, res)
  }

  function download(token: string, req: IncomingMessage, res: ServerResponse): void {
    const offer = core.downloads.get(token)
    const st = offer && statSafe(offer.file)
    if (!offer || !st) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found or expired')
      return
    }
    res.writeHead(200, {
      'Content-Type': offer.contentType,
      'Content-Length': st.size,
      'Cache-Control': 'no-store',
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(offer.name)}`
    })
    if (req.method === 'HEAD') res.end()
    else createReadStream(offer.file).pipe(res)
  }

  /**
   * Recordings, with range requests so the player seeks without downloading the whole call: the
   * local copy while there is one, else the range read from the recordings' store.
   */
  function media(token: string, req: IncomingMessage, res: ServerResponse): void {
    const grant = core.media.get(token)
    const notFound = () =>
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found or expired')
    if (!grant) return void notFound()
    void core.recordings.archive
      .media(grant.recordingId ?? 0, grant.file)
      .then(async (m) => {
        if (!m) return void notFound()
        const range = parseRange(req.headers.range, m.size)
        const headers = {
          'Content-Type': grant.contentType,
          'Cache-Control': 'private, no-store',
          'Accept-Ranges': 'bytes'
        }
        if (range === 'unsatisfiable') {
          res.writeHead(416, { ...headers, 'Content-Range': `bytes */${m.size}` }).end()
          return
        }
        const { start, end } = range ?? { start: 0, end: m.size - 1 }
        const body = req.method === 'HEAD' || m.size === 0 ? null : await m.open({ start, end })
        res.writeHead(range ? 206 : 200, {
          ...headers,
          'Content-Length': end - start + 1,
          ...(range ? { 'Content-Range': `bytes ${start}-${end}/${m.size}` } : {})
        })
        if (!body) res.end()
        else body.on('error', () => res.destroy()).pipe(res)
      })
      .catch((err: unknown) => {
        opts.logger?.warn('recording from the store', err)
        if (!res.headersSent)
          res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' }).end('the recordings store did not answer')
        else res.destroy()
      })
  }

  /**
   * The centre's desktop updates (`npx leadline updates publish`): the feed and the installers, to
   * every seat without login (the desktop checks before anyone logs in); range requests, so a broken
   * download resumes. Only plain names in the folder; files being copied in (`.part`) are not there yet.
   */
  function updates(name: string, req: IncomingMessage, res: ServerResponse): void {
    const file = /^[\w][\w.-]*$/.test(name) && !name.endsWith('.part') ? join(core.dataDir, UPDATES_FOLDER, name) : null
    const st = file ? statSafe(file) : undefined
    if (!file || !st) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found')
      return
    }
    sendFile(req, res, file, st.size, {
      'Content-Type': name.endsWith('.yml') ? 'text/yaml; charset=utf-8' : 'application/octet-stream',
      'Cache-Control': 'no-cache',
      ETag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`
    })
  }

  /** A file, whole or the one byte range asked for (206), with its length. */
  function sendFile(
    req: IncomingMessage,
    res: ServerResponse,
    file: string,
    size: number,
    headers: Record<string, string>
  ): void {
    const range = parseRange(req.headers.range, size)
    const common = { ...headers, 'Accept-Ranges': 'bytes' }
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...common, 'Content-Range': `bytes */${size}` }).end()
      return
    }
    const { start, end } = range ?? { start: 0, end: size - 1 }
    res.writeHead(range ? 206 : 200, {
      ...common,
      'Content-Length': end - start + 1,
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {})
    })
    if (req.method === 'HEAD' || size === 0) res.end()
    else createReadStream(file, { start, end }).pipe(res)
  }

  /**
   * With TLS, one port answers both: a connection whose first byte opens a TLS handshake goes to
   * the HTTPS server, anything else is plain HTTP and is sent to the https address (WebSocket
   * upgrades over plain HTTP are refused), so a seat typing http:// still lands on the right page.
   */
  let web: Server | HttpsServer
  let listener: Server | NetServer
  let plain: Server | null = null
  if (opts.tls) {
    const https = createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert, minVersion: 'TLSv1.2' }, handle)
    plain = createServer((req, res) => {
      securityHeaders(res)
      const target = `https://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`
      res
        .writeHead(308, { Location: target, 'Content-Type': 'text/plain; charset=utf-8' })
        .end(`LeadLine hub: use ${target}\n`)
    })
    plain.on('upgrade', (_req, socket) => {
      socket.end(
        'HTTP/1.1 426 Upgrade Required\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nThis hub speaks wss:// only\n'
      )
    })
    const sorter = createNetServer((socket: Socket) => {
      socket.once('data', (first: Buffer) => {
        socket.pause()
        socket.unshift(first)
        ;(first[0] === 0x16 ? https : plain!).emit('connection', socket)
        // resumed on the next tick: the server has to take the socket over first, or the connection hangs
        process.nextTick(() => socket.resume())
      })
      socket.on('error', () => socket.destroy())
    })
    web = https
    listener = sorter
  } else {
    web = createServer(handle)
    listener = web
  }
  const server = web

  const perAddress = new Map<string, number>()
  const refuseUpgrade = (socket: import('node:stream').Duplex, status: string) => {
    socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    socket.destroy()
  }
  /**
   * A browser says which page opens the socket: only the hub's own pages (any of its names), the
   * desktop app (Electron sends `file://` for its pages) and origins the centre configured may. Tools
   * send no Origin. An opaque origin (`null`: a sandboxed frame, a data: page, a page of any site that
   * asked for one) is refused.
   */
  const originAllowed = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin
    if (origin === undefined || origin === 'file://') return true
    try {
      const o = new URL(origin)
      if (o.host === req.headers.host) return true
    } catch {
      return false
    }
    // the centre's other hubs (a seat's page from the old primary follows the lease to the standby)
    const c = core.cluster()
    if ([c.self, c.previous, ...c.peers].some((u) => u && new URL(u).origin === origin)) return true
    return (opts.origins ?? []).includes(origin)
  }

  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://hub').pathname
    if (path !== HUB_WS_PATH) {
      socket.write('HTTP/1.1 404 Not Found\r\n\r\n')
      socket.destroy()
      return
    }
    if (!originAllowed(req)) return refuseUpgrade(socket, '403 Forbidden')
    const address = req.socket.remoteAddress ?? '?'
    if (
      wss.clients.size >= (opts.maxConnections ?? 2000) ||
      (perAddress.get(address) ?? 0) >= (opts.maxConnectionsPerAddress ?? 500)
    )
      return refuseUpgrade(socket, '503 Service Unavailable')
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1)
    socket.once('close', () => {
      const n = (perAddress.get(address) ?? 1) - 1
      if (n > 0) perAddress.set(address, n)
      else perAddress.delete(address)
    })
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const conn = core.connect({ source: `ws ${req.socket.remoteAddress ?? '?'}` })
    alive.set(ws, true)
    ws.on('pong', () => alive.set(ws, true))
    const send = (frame: WsServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
    }
    const unsubscribe = conn.subscribe((event, payload) => send({ event, payload }))
    let inFlight = 0
    let anonymousBudget = ANONYMOUS_BURST
    let budgetAt = Date.now()
    let refused = 0
    let refusedSince = Date.now()
    const refuse = (id: number, code: 'INVALID_INPUT' | 'UNAVAILABLE', key: string) =>
      send({ id, ok: false, error: { code, message: translate(conn.state.locale, key), key } })
    ws.on('message', async (data, isBinary) => {
      const size = Array.isArray(data)
        ? data.reduce((n, b) => n + b.length, 0)
        : (data as Buffer | ArrayBuffer).byteLength
      // a socket that has not logged in gets no room for big frames
      if (conn.state.token === null && size > MAX_ANONYMOUS_FRAME) {
        ws.close(1009, 'frame too big before login')
        return
      }
      if (conn.state.token === null) {
        const now = Date.now()
        anonymousBudget = Math.min(ANONYMOUS_BURST, anonymousBudget + (now - budgetAt) / 1000)
        budgetAt = now
        if (anonymousBudget < 1) {
          ws.close(1008, 'too many requests before login')
          return
        }
        anonymousBudget--
      }
      const text = isBinary ? '' : data.toString()
      if (inFlight >= MAX_IN_FLIGHT) {
        const now = Date.now()
        if (now - refusedSince > 1000) {
          refused = 0
          refusedSince = now
        }
        if (++refused > MAX_REFUSED_PER_SECOND) {
          ws.close(1008, 'too many requests')
          return
        }
        return refuse(peekId(text), 'UNAVAILABLE', 'errors.tooManyRequests')
      }
      let frame
      try {
        if (jsonTooDeep(text, MAX_DEPTH)) throw new Error('too deep')
        frame = wsRequestSchema.parse(JSON.parse(text))
      } catch {
        // answered to the id it carried, so the caller is not left waiting
        return refuse(peekId(text), 'INVALID_INPUT', 'errors.badFrame')
      }
      if (frame.locale) conn.state.locale = frame.locale
      inFlight++
      try {
        const result = await conn.invoke(frame.method, frame.input, { clientId: frame.cid, resent: frame.resent })
        send({ id: frame.id, ...result })
      } finally {
        inFlight--
      }
    })
    ws.on('close', () => {
      unsubscribe()
      conn.close()
    })
    ws.on('error', () => ws.terminate())
  })

  // Drop sockets whose peer vanished without closing (a seat's network cable, a sleeping laptop).
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate()
        continue
      }
      alive.set(ws, false)
      ws.ping()
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()

  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject)
    listener.listen(opts.port ?? 7300, host, () => {
      listener.off('error', reject)
      resolve()
    })
  })
  const addr = listener.address() as AddressInfo
  // over TLS the address is one the certificate names (the first: --name, or this machine's host name)
  const shownHost = opts.tls?.names[0] ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host)
  const url = `${opts.tls ? 'https' : 'http'}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${addr.port}`
  opts.logger?.info(`hub listening on ${host}:${addr.port}`)

  return {
    url,
    secure: !!opts.tls,
    setCredentials: (c) => {
      if ('setSecureContext' in server) server.setSecureContext({ key: c.key, cert: c.cert, minVersion: 'TLSv1.2' })
    },
    port: addr.port,
    host,
    connections: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat)
        for (const ws of wss.clients) ws.terminate()
        wss.close()
        if (listener !== server) listener.close()
        server.close(() => resolve())
        server.closeAllConnections()
        plain?.closeAllConnections()
      })
  }
}

function statSafe(file: string) {
  try {
    const st = statSync(file)
    return st.isFile() ? st : undefined
  } catch {
    return undefined
  }
}
