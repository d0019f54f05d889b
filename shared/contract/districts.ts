import { z } from 'zod'
import { defineMethods } from './define'
import { ALL_ROLES } from './roles'

export const districtSchema = z.object({
  code: z.string(),
  name: z.string(),
  city: z.string(),
  aliases: z.array(z.string()),
  direction: z.enum(['east', 'south', 'west', 'north']).nullable()
})
export type District = z.infer<typeof districtSchema>

export const districtsMethods = defineMethods({
  'districts.list': {
    summary: 'The districts leads are routed by.',
    input: z.object({ city: z.string().max(32).optional() }).strict(),
    output: z.array(districtSchema),
    roles: ALL_ROLES
  }
})
