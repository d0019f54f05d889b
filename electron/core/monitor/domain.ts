import type { DomainHandlers } from '../context'
import { requireUser } from '../context'
import { defineDomain } from '../domain'
import type { MonitorService } from './service'

/** 监听、耳语、强插 (see service.ts): the methods, and the ends that come from elsewhere (the call, a page). */
export function monitorDomain(monitor: MonitorService) {
  const handlers: DomainHandlers<'monitor'> = {
    'monitor.start': (input, ctx) => {
      const { user } = requireUser(ctx)
      return monitor.start(user, ctx.conn, input.operatorId, input.mode)
    },
    'monitor.mode': (input, ctx) =>
      monitor.setMode(requireUser(ctx).user, input.sessionId, input.mode, ctx.conn.source),
    'monitor.stop': (input, ctx) => {
      monitor.stop(requireUser(ctx).user, input.sessionId, ctx.conn.source)
      return { ok: true as const }
    },
    'monitor.signal': (input, ctx) => {
      monitor.signal(requireUser(ctx).user, ctx.conn, input.sessionId, input.signal)
      return { ok: true as const }
    },
    'monitor.active': (_input, ctx) => monitor.active(requireUser(ctx).user)
  }
  return defineDomain({
    name: 'monitor',
    handlers,
    subscribe: (bus) => {
      bus.on('call.ended', ({ callId }) => void monitor.callEnded(callId))
      bus.on('connection.closed', ({ conn }) => {
        if (monitor.connectionClosed(conn)) bus.publish('board.touched', { reason: 'monitor.ended' })
      })
    }
  })
}
