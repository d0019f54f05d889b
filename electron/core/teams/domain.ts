import { requireUser } from '../context'
import { defineDomain } from '../domain'
import type { TeamsService } from './service'

/** Teams (班组) of operators: their supervisor scopes the views of the team's work. */
export function teamsDomain(teams: TeamsService) {
  return defineDomain({
    name: 'teams',
    handlers: {
      'teams.list': (_input, ctx) => teams.list(requireUser(ctx).user),
      'teams.create': (input, ctx) => teams.create(requireUser(ctx).user, input),
      'teams.update': (input, ctx) => teams.update(requireUser(ctx).user, input),
      'teams.remove': (input, ctx) => {
        teams.remove(requireUser(ctx).user, input.id)
        return { ok: true as const }
      }
    }
  })
}
