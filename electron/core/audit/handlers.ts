import type { CoreDeps, DomainHandlers } from '../context'

export function createAuditHandlers({ audit }: CoreDeps): DomainHandlers<'audit'> {
  return {
    'audit.list': (input) => audit.list(input)
  }
}
