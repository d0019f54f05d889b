import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { API_ROUTES, type ApiRoute, type ApiRouteName, type Locale } from '../../shared/contract'
import type { Core } from '../core'
import type { ApiCaller } from '../core/api/service'
import { AppError, internalError, type InputIssue } from '../core/errors'
import type { Logger } from '../core/invoke'

export const API_BASE = '/api/v1'
/** A key's requests: this many a second on average, bursts up to BURST; beyond, 429 with Retry-After. */
const RATE_PER_SECOND = 20
const BURST = 40
const MAX_BODY = 4 * 1024 * 1024

const STATUS: Record<string, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LOCKED: 423,
  UNAVAILABLE: 503
}

/** A route's path as a pattern: /leads/{id} matches /leads/42 with id = 42. */
function matcher(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{(\w+)\}/g, '(?<$1>[0-9]{1,15})')}$`)
}
const ROUTES = (Object.entries(API_ROUTES) as [ApiRouteName, ApiRoute][]).map(([name, r]) => ({
  name,
  route: r,
  re: matcher(r.path)
}))

/** The OpenAPI 3.1 document of the routes, from their zod schemas (made once). */
let openapi: string | null = null
export function openApiDocument(): string {
  if (openapi) return openapi
  const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' })
  const problem = {
    description: 'RFC 9457 problem details, the detail in the caller’s language (Accept-Language).',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }
  }
  const paths: Record<string, Record<string, unknown>> = {}
  for (const { name, route } of ROUTES) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'integer', minimum: 1 }
    }))
    const query = route.query
      ? Object.entries(route.query.shape).map(([q, s]) => ({
          name: q,
          in: 'query',
          required: !(s as z.ZodType).safeParse(undefined).success,
          schema: schema(s as z.ZodType)
        }))
      : []
    const headers =
      route.method === 'POST'
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'The same key sent again within a day gets the first answer, and nothing is done twice.',
              schema: { type: 'string', maxLength: 128 }
            }
          ]
        : []
    paths[`${API_BASE}${route.path}`] = {
      ...paths[`${API_BASE}${route.path}`],
      [route.method.toLowerCase()]: {
        operationId: name,
        summary: route.summary,
        security: [{ bearer: [] }],
        'x-scope': route.scope,
        parameters: [...params, ...query, ...headers],
        ...(route.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: schema(route.body) } } } }
          : {}),
        responses: {
          [String(route.status ?? 200)]: {
            description: 'OK',
            content: { 'application/json': { schema: schema(route.answer) } }
          },
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          429: { ...problem, headers: { 'Retry-After': { schema: { type: 'integer' } } } }
        }
      }
    }
  }
  openapi = JSON.stringify({
    openapi: '3.1.0',
    info: {
      title: 'LeadLine integration API',
      version: '1.0.0',
      description:
        'For the insurers’ and list suppliers’ systems: leads in, outcomes out. Authorization: Bearer <key> (an administrator makes keys in 系统设置 or with `leadline apikey create`); each key has scopes and may be held to one campaign. Errors are RFC 9457 problem details.'
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' }
          }
        }
      }
    },
    paths
  })
  return openapi
}

/** A readable reference of the routes (for people; machines read openapi.json). */
function referencePage(): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
  const rows = ROUTES.map(
    ({ route }) =>
      `<tr><td><code>${route.method} ${API_BASE}${esc(route.path)}</code></td><td><code>${route.scope ?? ''}</code></td><td>${esc(route.summary)}</td></tr>`
  ).join('')
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>LeadLine API v1</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}td{border-top:1px solid #ddd;padding:6px;vertical-align:top}</style></head>
<body><h1>LeadLine 集成接口 v1</h1><p>认证：<code>Authorization: Bearer &lt;API key&gt;</code>。错误为 RFC 9457 problem details。机器可读的描述：<a href="${API_BASE}/openapi.json">openapi.json</a>。</p>
<table><tr><th>接口</th><th>权限</th><th>说明</th></tr>${rows}</table></body></html>`
}

function localeOf(req: IncomingMessage): Locale {
  return /^\s*en\b/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'zh-CN'
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    let size = 0
    req.on('data', (d: Buffer) => {
      size += d.length
      if (size > MAX_BODY) {
        reject(new AppError('INVALID_INPUT', 'errors.apiBodyTooLarge', { max: '4 MB' }))
        req.destroy()
      } else parts.push(d)
    })
    req.on('end', () => resolve(Buffer.concat(parts)))
    req.on('error', reject)
  })
}

/**
 * The REST transport for outside systems (`/api/v1`): the routes of shared/contract/api-v1.ts, each
 * with its scope; a key's requests rate-limited; POSTs idempotent by their Idempotency-Key; every call
 * audited; every error an RFC 9457 problem in the caller's language.
 */
export function restApi(core: Core, logger?: Logger) {
  const buckets = new Map<number, { tokens: number; at: number }>()
  const log = logger ?? { info() {}, warn() {}, error: (m: string, e?: unknown) => console.error(m, e) }

  function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
    res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' })
    res.end(typeof body === 'string' ? body : JSON.stringify(body))
  }

  function problem(
    res: ServerResponse,
    err: AppError,
    locale: Locale,
    extra: Record<string, string> = {},
    statusOverride?: number
  ): number {
    const status = statusOverride ?? STATUS[err.code] ?? 500
    const shape = err.toShape(locale)
    for (const [k, v] of Object.entries(extra)) res.setHeader(k, v)
    send(
      res,
      status,
      {
        type: `urn:leadline:problem:${err.code.toLowerCase()}`,
        title: err.code,
        status,
        detail: shape.message,
        code: err.code,
        ...(shape.issues ? { issues: shape.issues } : {})
      },
      'application/problem+json'
    )
    return status
  }

  /** A token bucket per key: false when the key has spent it (and how long until one comes back). */
  function allowed(keyId: number): { ok: true } | { ok: false; retryAfter: number } {
    const now = Date.now()
    const b = buckets.get(keyId) ?? { tokens: BURST, at: now }
    b.tokens = Math.min(BURST, b.tokens + ((now - b.at) / 1000) * RATE_PER_SECOND)
    b.at = now
    buckets.set(keyId, b)
    if (b.tokens < 1) return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / RATE_PER_SECOND)) }
    b.tokens -= 1
    return { ok: true }
  }

  async function run(
    name: ApiRouteName,
    caller: ApiCaller,
    params: Record<string, string>,
    input: unknown,
    locale: Locale,
    source: string
  ) {
    const api = core.api
    switch (name) {
      case 'campaigns':
        return api.campaigns(caller)
      case 'postLeads':
        return api.postLeads(
          caller,
          Number(params.id),
          (input as z.output<typeof API_ROUTES.postLeads.body>).leads,
          locale
        )
      case 'lead':
        return api.lead(caller, Number(params.id), source)
      case 'outcomes':
      case 'calls':
      case 'dispatches':
      case 'followUps': {
        const q = input as z.output<typeof API_ROUTES.outcomes.query>
        if (name === 'outcomes') return api.outcomes(caller, q.cursor, q.limit)
        if (name === 'calls') return api.calls(caller, q.cursor, q.limit)
        if (name === 'dispatches') return api.dispatches(caller, q.cursor, q.limit)
        return api.followUps(caller, q.cursor, q.limit)
      }
      case 'dispatch':
        return api.dispatch(caller, Number(params.id))
      case 'postPolicy':
        return api.attachPolicy(caller, Number(params.id), input as z.output<typeof API_ROUTES.postPolicy.body>)
      case 'postDnc':
        return api.postDnc(caller, input as z.output<typeof API_ROUTES.postDnc.body>)
      case 'postWebhooks':
        return api.registerWebhook(caller, input as z.output<typeof API_ROUTES.postWebhooks.body>, source)
    }
  }

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const locale = localeOf(req)
    const path = url.pathname.slice(API_BASE.length)
    if (req.method === 'GET' && path === '/openapi.json') return send(res, 200, openApiDocument())
    if (req.method === 'GET' && (path === '' || path === '/' || path === '/docs'))
      return send(res, 200, referencePage(), 'text/html')
    const source = `api ${req.socket.remoteAddress ?? ''}`
    const found = ROUTES.map((r) => ({ ...r, m: r.re.exec(path) })).filter((r) => r.m)
    let caller: ApiCaller | null = null
    let status = 500
    try {
      caller = core.api.authenticate(req.headers.authorization)
      const limit = allowed(caller.keyId)
      if (!limit.ok) {
        status = problem(
          res,
          new AppError('LOCKED', 'errors.apiRateLimited', { seconds: limit.retryAfter }),
          locale,
          { 'Retry-After': String(limit.retryAfter) },
          429
        )
        return
      }
      if (!found.length) throw new AppError('NOT_FOUND', 'errors.apiNoRoute')
      const hit = found.find((r) => r.route.method === req.method)
      if (!hit) {
        status = problem(
          res,
          new AppError('INVALID_INPUT', 'errors.apiMethod', { method: req.method ?? '' }),
          locale,
          { Allow: found.map((r) => r.route.method).join(', ') },
          405
        )
        return
      }
      const { route, name } = hit
      if (route.scope && !caller.scopes.has(route.scope))
        throw new AppError('FORBIDDEN', 'errors.apiScope', { scope: route.scope })
      let input: unknown = undefined
      let raw = ''
      if (route.method === 'POST') {
        raw = (await readBody(req)).toString('utf8')
        let json: unknown
        try {
          json = JSON.parse(raw)
        } catch {
          throw new AppError('INVALID_INPUT', 'errors.apiJson')
        }
        const parsed = route.body!.safeParse(json)
        if (!parsed.success) throw invalid(parsed.error)
        input = parsed.data
      } else if (route.query) {
        const parsed = route.query.safeParse(Object.fromEntries(url.searchParams))
        if (!parsed.success) throw invalid(parsed.error)
        input = parsed.data
      }
      // an Idempotency-Key: the first answer is kept a day and given again, the work never done twice
      const idem =
        route.method === 'POST' ? (req.headers['idempotency-key'] as string | undefined)?.slice(0, 128) : undefined
      const request = `${route.method} ${path} ${createHash('sha256').update(raw).digest('hex')}`
      if (idem) {
        const kept = core.api.repo.idempotent(caller.keyId, idem)
        if (kept) {
          if (kept.request !== request) throw new AppError('CONFLICT', 'errors.apiIdempotencyReused')
          res.setHeader('Idempotent-Replayed', 'true')
          status = kept.status
          return send(res, kept.status, kept.body)
        }
      }
      const answer = JSON.stringify(await run(name, caller, hit.m!.groups ?? {}, input, locale, source))
      status = route.status ?? 200
      if (idem)
        core.api.repo.keepAnswer({
          keyId: caller.keyId,
          idemKey: idem,
          request,
          status,
          body: answer,
          at: new Date().toISOString()
        })
      send(res, status, answer)
    } catch (err) {
      if (err instanceof AppError) status = problem(res, err, locale)
      else status = problem(res, internalError(log, `api ${req.method} ${path}`, err), locale)
    } finally {
      // every call of a key is on the audit log (with its answer's status)
      if (caller) core.api.audited(caller, `${req.method} ${path}`, status, source)
    }
  }
}

function invalid(e: z.ZodError): AppError {
  // as the other transports say it: the first field and what is wrong with it; every issue listed
  const issues = e.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }))
  const refused = new AppError('INVALID_INPUT', undefined, undefined, issues)
  refused.detail = e.issues[0] as InputIssue
  return refused
}
