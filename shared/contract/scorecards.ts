import { z } from 'zod'
import { defineMethods } from './define'
import { QA_ROLES } from './roles'
import { idSchema } from './common'
import { scorecardBodySchema, scorecardSchema } from './qa'

export const scorecardsMethods = defineMethods({
  'scorecards.current': {
    summary: 'The current scorecard of a campaign.',
    input: z.object({ campaignId: idSchema }).strict(),
    output: scorecardSchema,
    roles: [...QA_ROLES, 'operator']
  },
  'scorecards.publish': {
    write: 'resend',
    summary: 'Publish a new version of a campaign’s scorecard; reviews keep the version they were made with.',
    input: z.object({ campaignId: idSchema, body: scorecardBodySchema }).strict(),
    output: scorecardSchema,
    roles: QA_ROLES
  }
})
