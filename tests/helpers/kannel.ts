import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { startProcess, type Server } from './kamailio'
import { freePort } from '../../electron/core/free-port'

export { freePort }

/** A message as the carrier received it from Kannel, decoded. */
export interface CarrierMessage {
  from: string
  to: string
  coding: string
  text: string
}

export interface Kannel {
  /** smsbox's sendsms URL and its account. */
  sendUrl: string
  username: string
  password: string
  /** What the stand-in carrier received, in order. */
  received: CarrierMessage[]
  /** A reply from a handset (mobile-originated): Kannel passes it to the MO URL. */
  reply(from: string, to: string, text: string): void
  /** The carrier link down (true) or back (false): Kannel keeps what it accepted meanwhile. */
  carrierDown(down: boolean): Promise<void>
  log(): string
  stop(): Promise<void>
}

/** %XX-encoded bytes (what Kannel's fake protocol sends), byte for byte. */
function percentBytes(s: string): Buffer {
  const out: number[] = []
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16))
      i += 2
    } else out.push(s[i] === '+' ? 0x20 : s.charCodeAt(i) & 0xff)
  }
  return Buffer.from(out)
}

/**
 * A real SMS gateway for tests: Kannel's bearerbox and smsbox (Debian package `kannel`) on loopback,
 * with this process as the carrier on Kannel's `smsc = fake` line protocol (one line per message:
 * "FROM TO CODING TEXT", the text URL-encoded, UCS-2 for Chinese). Replies (退订) are sent as
 * mobile-originated lines; Kannel calls @moUrl with `from`, `to` and `text`.
 */
export async function startKannel(moUrl: string): Promise<Kannel> {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-kannel-'))
  const [admin, box, smsc, send] = [await freePort(), await freePort(), await freePort(), await freePort()]
  const password = randomBytes(12).toString('hex')
  writeFileSync(
    join(dir, 'kannel.conf'),
    `group = core
admin-port = ${admin}
admin-password = ${password}
admin-interface = 127.0.0.1
smsbox-port = ${box}
smsbox-interface = 127.0.0.1
box-allow-ip = "127.0.0.1"
log-file = "${dir}/bearerbox.log"
log-level = 1
store-type = spool
store-location = "${dir}/spool"
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = carrier
host = 127.0.0.1
port = ${smsc}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
sendsms-port = ${send}
sendsms-interface = 127.0.0.1
log-file = "${dir}/smsbox.log"
log-level = 1
mo-recode = true

group = sendsms-user
username = leadline
password = ${password}
max-messages = 10
concatenation = true

group = sms-service
keyword = default
get-url = "${moUrl}?from=%p&to=%P&text=%a"
max-messages = 0
catch-all = true
`
  )
  const { mkdirSync } = await import('node:fs')
  mkdirSync(join(dir, 'spool'))
  const listening = (port: number) => () =>
    new Promise<boolean>((ok) => {
      const s = connect(port, '127.0.0.1')
      s.once('connect', () => {
        s.destroy()
        ok(true)
      })
      s.once('error', () => ok(false))
    })
  const bearerbox = await startProcess('bearerbox', '/usr/sbin/bearerbox', [join(dir, 'kannel.conf')], listening(smsc))
  const received: CarrierMessage[] = []
  let link: Socket | null = null
  const attach = () =>
    new Promise<void>((ok, fail) => {
      const s = connect(smsc, '127.0.0.1')
      let buf = ''
      s.setEncoding('latin1')
      s.on('data', (d: string) => {
        buf += d
        let nl
        while ((nl = buf.indexOf('\n')) >= 0) {
          const [from, to, coding, ...rest] = buf.slice(0, nl).trim().split(' ')
          buf = buf.slice(nl + 1)
          const raw = percentBytes(rest.join(' '))
          const text = coding === 'ucs-2' ? raw.swap16().toString('utf16le') : raw.toString('utf8')
          received.push({ from, to, coding, text })
        }
      })
      s.once('connect', () => {
        link = s
        ok()
      })
      s.once('error', fail)
    })
  await attach()
  const smsbox = await startProcess('smsbox', '/usr/sbin/smsbox', [join(dir, 'kannel.conf')], listening(send))
  return {
    sendUrl: `http://127.0.0.1:${send}/cgi-bin/sendsms`,
    username: 'leadline',
    password,
    received,
    reply: (from, to, text) => link?.write(`${from} ${to} text ${text}\n`),
    carrierDown: async (down) => {
      if (down) {
        link?.destroy()
        link = null
      } else await attach()
    },
    log: () => bearerbox.log() + smsbox.log(),
    stop: async () => {
      link?.destroy()
      await smsbox.stop()
      await bearerbox.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export type { Server }
