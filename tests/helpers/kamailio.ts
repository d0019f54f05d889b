import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createSocket } from 'node:dgram'
import { connect as tcpConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/**
 * The telephony test bed from Debian's packages on loopback: Kamailio as registrar/proxy (with digest
 * authentication), rtpengine bridging WebRTC to plain
 * RTP, baresip as a plain SIP phone. Each is started and stopped by PID.
 */
export interface Server {
  pid: number
  log(): string
  stop(): Promise<void>
}
export interface Kamailio extends Server {
  port: number
}

export const RTPENGINE_NG_PORT = 22222 // fixed in tests/telephony/kamailio.cfg
export const KAMAILIO_UDP_PORT = 5070

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = tcpConnect(port, '127.0.0.1')
    s.once('connect', () => {
      s.destroy()
      ok(true)
    })
    s.once('error', () => ok(false))
  })
}

/** A UDP port is taken when binding it fails. */
function udpTaken(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = createSocket('udp4')
    s.once('error', () => ok(true))
    s.bind(port, '127.0.0.1', () => s.close(() => ok(false)))
  })
}

export async function startProcess(
  name: string,
  cmd: string,
  args: string[],
  ready: (log: string) => Promise<boolean>,
  opts: { cwd?: string; onStop?: () => void; stopSignals?: number } = {}
): Promise<Server> {
  let log = ''
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd })
  child.stdout!.on('data', (d) => (log += d))
  child.stderr!.on('data', (d) => (log += d))
  const failed = new Promise<never>((_, reject) =>
    child.once('error', (e) =>
      reject(
        new Error(`${name} could not start (is it installed? tests/setup/system-deps.sh installs it): ${e.message}`)
      )
    )
  )
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${log.slice(-2000)}`)
    if (await Promise.race([ready(log), failed])) break
    if (i >= 400) {
      child.kill('SIGKILL')
      throw new Error(`${name} did not come up: ${log.slice(-2000)}`)
    }
    await new Promise((r) => setTimeout(r, 25))
  }
  const pid = child.pid!
  return {
    pid,
    log: () => log,
    stop: async () => {
      const exited = new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)))
      // baresip ignores the first SIGTERM while it unregisters (testbed gotcha 7): ask again, then insist.
      for (let i = 0; i < (opts.stopSignals ?? 1) && child.exitCode === null; i++) {
        try {
          process.kill(pid, 'SIGTERM')
        } catch {
          break
        }
        await Promise.race([exited, new Promise((r) => setTimeout(r, 400))])
      }
      if (child.exitCode === null) {
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))])
        // (it may exit between the look and the kill)
        if (child.exitCode === null) {
          try {
            process.kill(pid, 'SIGKILL')
          } catch {
            /* gone already */
          }
        }
      }
      await exited
      opts.onStop?.()
    }
  }
}

/** Kamailio (tests/telephony/kamailio.cfg): ws://127.0.0.1:<port> for sip.js, udp 5070 for baresip; with rtpengine, WebRTC↔RTP is bridged. */
export async function startKamailio(
  port: number,
  opts: {
    rtpengine?: boolean
    udpPort?: number
    /** Dial as a centre's PBX: tokens resolved with this hub (its PBX_DIAL_PATH URL) and the centre's PBX key. */
    hubDial?: { url: string; key: string; inbound?: string }
  } = {}
): Promise<Kamailio> {
  const run = mkdtempSync(join(tmpdir(), 'leadline-kamailio-'))
  const cfg = resolve('tests/telephony/kamailio.cfg')
  const args = ['-DD', '-E', '-f', cfg, '-Y', run, '-P', join(run, 'kamailio.pid'), '-A', `WS_PORT=${port}`]
  if (opts.rtpengine) args.push('-A', 'WITH_RTPENGINE')
  // a second Kamailio (another spec file running beside the first) takes another plain-SIP port
  if (opts.udpPort) args.push('-A', `UDP_PORT=${opts.udpPort}`)
  if (opts.hubDial) args.push('-A', `HUB_DIAL="${opts.hubDial.url}"`, '-A', `PBX_KEY="${opts.hubDial.key}"`)
  if (opts.hubDial?.inbound) args.push('-A', `HUB_INBOUND="${opts.hubDial.inbound}"`)
  const s = await startProcess('kamailio', 'kamailio', args, () => tcpOpen(port), {
    onStop: () => rmSync(run, { recursive: true, force: true })
  })
  return { ...s, port }
}

/** rtpengine in userspace only (--table=-1), its control socket on 127.0.0.1:22222. */
export async function startRtpengine(): Promise<Server> {
  return startProcess(
    'rtpengine',
    'rtpengine',
    [
      '--config-file=none',
      '--table=-1',
      '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${RTPENGINE_NG_PORT}`,
      '--port-min=40000',
      '--port-max=40199',
      '--foreground',
      '--log-stderr',
      '--log-level=6'
    ],
    () => udpTaken(RTPENGINE_NG_PORT)
  )
}

/**
 * baresip 1.0 as a plain SIP/RTP phone registered with Kamailio over UDP: it answers every call
 * by itself and sends a sine tone (48 kHz stereo, `ausine`), or dials `dial` once it runs.
 */
export async function startBaresip(o: {
  user: string
  sipListenPort: number
  toneHz?: number
  dial?: string
  /** Rings without answering (a phone nobody picks up): its log says who is calling. */
  ringOnly?: boolean
}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-baresip-'))
  const answer = o.dial || o.ringOnly ? '' : ';answermode=auto'
  // the test bed's passwords: extension E's is secret-E (tests/telephony/kamailio.cfg)
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:${o.user}@127.0.0.1:${KAMAILIO_UDP_PORT};transport=udp>;auth_pass=secret-${o.user};regint=600${answer};audio_codecs=opus/48000/2,pcmu,pcma\n`
  )
  writeFileSync(
    join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${o.sipListenPort}`,
      'call_local_timeout 120',
      'call_max_calls 4',
      'audio_player aubridge,spk',
      `audio_source ausine,${o.toneHz ?? 440}`,
      'audio_alert aubridge,spk',
      'ausrc_srate 48000',
      'ausrc_channels 2',
      'audio_buffer 20-160',
      'rtcp_mux no',
      'jitter_buffer_delay 5-10',
      'rtp_stats yes',
      'net_interface 127.0.0.1',
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module opus.so',
      'module aubridge.so',
      'module ausine.so',
      'module_tmp uuid.so',
      'module_tmp account.so',
      'module_app menu.so',
      'opus_bitrate 28000',
      ''
    ].join('\n')
  )
  writeFileSync(join(dir, 'contacts'), '')
  const args = ['-f', dir]
  if (o.dial) args.push('-e', `/dial ${o.dial}`)
  // A callee is ready once Kamailio accepted its REGISTER.
  return startProcess('baresip', 'baresip', args, async (log) => o.dial !== undefined || /200 OK/.test(log), {
    cwd: dir,
    stopSignals: 2,
    onStop: () => rmSync(dir, { recursive: true, force: true })
  })
}

/** Waits until a server's log matches. */
export async function waitForLog(s: Server, re: RegExp, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!re.test(s.log())) {
    if (Date.now() > until) throw new Error(`log never matched ${re}: ${s.log().slice(-1500)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
