import { defineMethods } from './define'
import { MANAGERS } from './roles'
import { allocationInput, allocationPlanSchema } from './pool'

export const allocationMethods = defineMethods({
  'allocation.preview': {
    summary: 'What a daily allocation would give each operator, without committing it.',
    input: allocationInput,
    output: allocationPlanSchema,
    roles: MANAGERS
  },
  'allocation.commit': {
    write: 'resend',
    summary: 'Allocate the day’s batches: tops each operator up to N leads; running it again adds nothing twice.',
    input: allocationInput,
    output: allocationPlanSchema,
    roles: MANAGERS
  }
})
