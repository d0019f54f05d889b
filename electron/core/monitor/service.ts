import type { MonitorMode, MonitorSession, MonitorSignal, Settings, User } from '../../../shared/contract'
import type { ConnectionState, CoreDeps } from '../context'
import { AppError } from '../errors'
import type { TeamsService } from '../teams/service'
import { MonitorRepo } from './repo'

/** A call older than this is not "in progress" whatever its row says (a seat that died mid-call). */
const CALL_HOURS = 4

export type MonitorEndReason = 'stopped' | 'callEnded' | 'deskGone' | 'supervisorGone' | 'declined' | 'replaced'

interface Live {
  id: number
  operatorId: number
  operatorName: string
  supervisorId: number
  supervisorName: string
  callId: number
  modes: { mode: MonitorMode; at: string }[]
  startedAt: string
  /** The supervisor's page: the session ends with it. */
  supervisorConn: ConnectionState
  /** The desk that sent the call (known from its offer): the session ends with it. */
  deskConn: ConnectionState | null
}

/**
 * 监听、耳语、强插. Core does not carry the audio: it decides who may monitor which call, keeps the
 * session (and its record: who, whom, which call, the modes with their times), and passes the
 * WebRTC offer and answer between the operator's desk and the supervisor's page, which then talk
 * directly on the LAN. A session ends when the supervisor stops, the call ends, or either page goes.
 */
export class MonitorService {
  readonly repo: MonitorRepo
  private live = new Map<number, Live>()

  constructor(
    private deps: CoreDeps,
    private teams: TeamsService,
    private settings: () => Settings
  ) {
    this.repo = new MonitorRepo(deps.db)
    // sessions cannot outlive the hub that passed their signals
    this.repo.endAllOpen(deps.clock.now().toISOString())
  }

  private now(): string {
    return this.deps.clock.now().toISOString()
  }

  private mode(s: Live): MonitorMode {
    return s.modes[s.modes.length - 1].mode
  }

  private view(s: Live): MonitorSession {
    return {
      sessionId: s.id,
      operatorId: s.operatorId,
      operatorName: s.operatorName,
      supervisorId: s.supervisorId,
      supervisorName: s.supervisorName,
      callId: s.callId,
      mode: this.mode(s),
      startedAt: s.startedAt
    }
  }

  /** Does the centre want the operator to see this mode? (系统设置 → 监听: listen is silent by default.) */
  private shown(mode: MonitorMode): boolean {
    const m = this.settings().monitoring
    return mode === 'listen' ? m.showListen : mode === 'whisper' ? m.showWhisper : m.showBarge
  }

  private toDesk(s: Live, kind: 'start' | 'signal' | 'mode' | 'end', signal?: MonitorSignal): void {
    const mode = this.mode(s)
    this.deps.events.emit('monitor.desk', {
      userId: s.operatorId,
      sessionId: s.id,
      callId: s.callId,
      kind,
      mode,
      show: this.shown(mode),
      supervisorName: s.supervisorName,
      ...(signal ? { signal } : {})
    })
  }

  private audit(
    s: Live,
    user: { id: number; username: string } | null,
    action: string,
    details: object,
    source: string
  ) {
    this.deps.audit.write({
      userId: user?.id ?? null,
      username: user?.username ?? null,
      action,
      entity: 'call',
      entityId: s.callId,
      details: { sessionId: s.id, operatorId: s.operatorId, operator: s.operatorName, ...details },
      source
    })
  }

  private mine(user: User, sessionId: number): Live {
    const s = this.live.get(sessionId)
    if (!s || s.supervisorId !== user.id) throw new AppError('NOT_FOUND', 'errors.monitorGone')
    return s
  }

  start(user: User, conn: ConnectionState, operatorId: number, mode: MonitorMode): MonitorSession {
    const op = this.repo.operator(operatorId)
    if (!op || op.role !== 'operator' || op.disabled) throw new AppError('NOT_FOUND')
    if (!this.teams.mayOversee(user, operatorId)) throw new AppError('FORBIDDEN', 'errors.monitorNotYourTeam')
    const since = new Date(this.deps.clock.now().getTime() - CALL_HOURS * 3_600_000).toISOString()
    const call = this.repo.currentCall(operatorId, since)
    if (!call) throw new AppError('CONFLICT', 'errors.monitorNoCall', { name: op.display_name })
    for (const other of this.live.values()) {
      if (other.callId !== call.id) continue
      if (other.supervisorId !== user.id)
        throw new AppError('CONFLICT', 'errors.monitorTaken', { name: other.supervisorName })
      // the same supervisor again (another tab, a reload): the new page takes over
      this.end(other, 'replaced', user, conn.source)
    }
    const at = this.now()
    const modes = [{ mode, at }]
    const id = this.repo.add({
      supervisorId: user.id,
      operatorId,
      callId: call.id,
      modes: JSON.stringify(modes),
      at
    })
    const s: Live = {
      id,
      operatorId,
      operatorName: op.display_name,
      supervisorId: user.id,
      supervisorName: user.displayName,
      callId: call.id,
      modes,
      startedAt: at,
      supervisorConn: conn,
      deskConn: null
    }
    this.live.set(id, s)
    this.audit(s, user, 'monitor.start', { mode, line: call.line }, conn.source)
    this.toDesk(s, 'start')
    return this.view(s)
  }

  setMode(user: User, sessionId: number, mode: MonitorMode, source: string): MonitorSession {
    const s = this.mine(user, sessionId)
    const from = this.mode(s)
    if (from !== mode) {
      s.modes.push({ mode, at: this.now() })
      this.repo.setModes(s.id, JSON.stringify(s.modes))
      this.audit(s, user, 'monitor.mode', { from, to: mode }, source)
      this.toDesk(s, 'mode')
    }
    return this.view(s)
  }

  stop(user: User, sessionId: number, source: string): void {
    this.end(this.mine(user, sessionId), 'stopped', user, source)
  }

  /** The desk's offer or refusal to the supervisor, the supervisor's answer to the desk. */
  signal(user: User, conn: ConnectionState, sessionId: number, signal: MonitorSignal): void {
    const s = this.live.get(sessionId)
    if (s && user.id === s.operatorId && signal.type !== 'answer') {
      s.deskConn = conn
      this.deps.events.emit('monitor.supervisor', { userId: s.supervisorId, sessionId, kind: 'signal', signal })
      if (signal.type === 'decline') this.end(s, 'declined', user, conn.source)
      return
    }
    if (s && user.id === s.supervisorId && signal.type === 'answer') {
      this.toDesk(s, 'signal', signal)
      return
    }
    throw new AppError('NOT_FOUND', 'errors.monitorGone')
  }

  active(user: User): MonitorSession[] {
    return [...this.live.values()].filter((s) => this.teams.mayOversee(user, s.operatorId)).map((s) => this.view(s))
  }

  /** The monitored call ended: so does its monitoring. True when a session ended. */
  callEnded(callId: number): boolean {
    let any = false
    for (const s of [...this.live.values()])
      if (s.callId === callId) {
        this.end(s, 'callEnded', null, 'core')
        any = true
      }
    return any
  }

  /** A page went away: the sessions it took part in end. True when a session ended. */
  connectionClosed(conn: ConnectionState): boolean {
    let any = false
    for (const s of [...this.live.values()]) {
      if (s.supervisorConn === conn) this.end(s, 'supervisorGone', null, conn.source)
      else if (s.deskConn === conn) this.end(s, 'deskGone', null, conn.source)
      else continue
      any = true
    }
    return any
  }

  private end(s: Live, reason: MonitorEndReason, user: { id: number; username: string } | null, source: string) {
    if (!this.live.delete(s.id)) return
    const at = this.now()
    if (this.deps.db.open) {
      this.repo.end(s.id, at, reason)
      this.audit(
        s,
        user,
        'monitor.end',
        {
          reason,
          modes: s.modes,
          seconds: Math.round((Date.parse(at) - Date.parse(s.startedAt)) / 1000)
        },
        source
      )
    }
    this.toDesk(s, 'end')
    this.deps.events.emit('monitor.supervisor', { userId: s.supervisorId, sessionId: s.id, kind: 'end', reason })
  }
}
