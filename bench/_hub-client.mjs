// A seat's WebSocket to the hub for the benches: call(method, input) resolves with the answer frame;
// onEvent hears the event frames pushed to it. `localAddress` makes it a seat of its own on the LAN
// (127.0.x.y here).
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const WebSocket = require('ws')

export function hubClient(url, { localAddress, onEvent } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + '/api/ws', localAddress ? { localAddress } : {})
    let id = 0
    const pending = new Map()
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString())
      if (f.event !== undefined) onEvent?.(f.event)
      if (f.id !== undefined) {
        pending.get(f.id)?.(f)
        pending.delete(f.id)
      }
    })
    ws.once('open', () =>
      resolve({
        call: (method, input) =>
          new Promise((r) => {
            const n = ++id
            pending.set(n, r)
            // every call with a client id, as the app's seats send them
            ws.send(JSON.stringify({ id: n, method, input, cid: randomUUID() }))
          }),
        close: () => ws.close()
      })
    )
    ws.once('error', reject)
  })
}
