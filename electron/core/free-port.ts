import { createServer } from 'node:net'

/** A port nobody listens on at 127.0.0.1 now (for a helper process: Litestream's metrics, a test's server). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => ok(port))
    })
  })
}
