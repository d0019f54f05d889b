import type { AuditRepo } from '../audit/repo'
import { internalError } from '../errors'
import type { InboundRouter } from '../inbound/service'
import type { Logger } from '../invoke'
import type { PbxAnswer, PbxDial } from './pbx-dial'

/**
 * What the PBX asks the hub over plain HTTP (electron/server/hub.ts): the number behind a desk's dial
 * token (a refusal is audited), and whom a customer's call to one of the centre's numbers rings (an
 * unexpected failure is logged with its reference and answered 500, so the PBX refuses the call).
 */
export function pbxEndpoints(pbxDial: PbxDial, inbound: InboundRouter, audit: AuditRepo, logger: Logger) {
  return {
    pbxResolve: (authorization: string | undefined, token: string, from: string, source: string): PbxAnswer => {
      const { callId: _callId, ...answer } = pbxDial.resolve(authorization, token, from)
      if (answer.status !== 200)
        audit.write({
          userId: null,
          username: 'pbx',
          action: 'sip.pbxRefused',
          entity: 'system',
          details: { status: answer.status, reason: answer.body, from: from.slice(0, 64) },
          source
        })
      return answer
    },
    pbxInbound: (authorization: string | undefined, from: string, to: string): PbxAnswer => {
      try {
        const { callId: _callId, ...answer } = inbound.route(authorization, from, to)
        return answer
      } catch (err) {
        return { status: 500, body: internalError(logger, 'return call routing', err).toShape('en').message }
      }
    }
  }
}
