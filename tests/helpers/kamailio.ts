import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** Kamailio from Debian's packages on loopback, started and stopped by PID (tests/telephony/kamailio.cfg). */
export interface Kamailio {
  port: number
  pid: number
  stop(): Promise<void>
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect(port, '127.0.0.1')
    s.once('connect', () => {
      s.destroy()
      ok(true)
    })
    s.once('error', () => ok(false))
  })
}

export async function startKamailio(port: number): Promise<Kamailio> {
  const run = mkdtempSync(join(tmpdir(), 'leadline-kamailio-'))
  const cfg = resolve('tests/telephony/kamailio.cfg')
  let log = ''
  const child: ChildProcess = spawn('kamailio', ['-DD', '-E', '-f', cfg, '-Y', run, '-P', join(run, 'kamailio.pid'), '-A', `WS_PORT=${port}`], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.on('data', (d) => (log += d))
  child.stderr!.on('data', (d) => (log += d))
  const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`kamailio could not start (is it installed? tests/setup/system-deps.sh installs it): ${e.message}`))))
  for (let i = 0; i < 250; i++) {
    if (child.exitCode !== null) throw new Error(`kamailio exited: ${log.slice(-2000)}`)
    if (await Promise.race([portOpen(port), failed])) break
    await new Promise((r) => setTimeout(r, 20))
    if (i === 249) throw new Error(`kamailio did not listen on ${port}: ${log.slice(-2000)}`)
  }
  const pid = child.pid!
  return {
    port,
    pid,
    stop: async () => {
      if (child.exitCode === null) {
        process.kill(pid, 'SIGTERM')
        await new Promise((r) => child.once('exit', r))
      }
      rmSync(run, { recursive: true, force: true })
    }
  }
}
