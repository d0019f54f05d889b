import WebSocket from 'ws'
import type { Result } from '../../shared/contract'

/** A plain Node WebSocket client speaking the hub's frames, for tests and benchmarks. */
export class HubClient {
  private ws: WebSocket
  private nextId = 1
  private pending = new Map<number, (r: Result<unknown>) => void>()
  readonly events: { event: string; payload: unknown }[] = []
  readonly errors: unknown[] = []

  private constructor(ws: WebSocket) {
    this.ws = ws
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { id?: number; event?: string; payload?: unknown }
      if (frame.event) this.events.push({ event: frame.event, payload: frame.payload })
      else if (frame.id !== undefined) {
        const p = this.pending.get(frame.id)
        if (p) {
          this.pending.delete(frame.id)
          p(frame as Result<unknown>)
        } else this.errors.push(frame)
      }
    })
    // a socket the hub closed answers what was still pending, so a test never waits for nothing
    ws.on('close', (code) => {
      for (const p of this.pending.values())
        p({ ok: false, error: { code: 'UNAVAILABLE', message: `closed ${code}`, key: 'closed' } } as Result<unknown>)
      this.pending.clear()
    })
  }

  static connect(url: string): Promise<HubClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url)
      ws.once('open', () => resolve(new HubClient(ws)))
      ws.once('error', reject)
    })
  }

  /** `write`: the write's client id, and whether it is sent again (as a seat's journal does). */
  call(
    method: string,
    input: unknown,
    locale?: 'zh-CN' | 'en',
    write?: { cid: string; resent?: boolean }
  ): Promise<Result<unknown>> {
    const id = this.nextId++
    return new Promise((resolve) => {
      if (this.ws.readyState !== WebSocket.OPEN)
        return resolve({
          ok: false,
          error: { code: 'UNAVAILABLE', message: 'closed', key: 'closed' }
        } as Result<unknown>)
      this.pending.set(id, resolve)
      this.ws.send(JSON.stringify({ id, method, input, locale, ...write }))
    })
  }

  sendRaw(text: string): void {
    this.ws.send(text)
  }

  close(): void {
    this.ws.close()
  }

  /** A frozen seat: the socket stays open but nothing is read from it any more, so no ping is answered. */
  freeze(): void {
    ;(this.ws as unknown as { _socket: import('node:net').Socket })._socket.pause()
  }
}
