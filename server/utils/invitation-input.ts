import { z } from 'zod'

/** What the invite form sends: a profile (resident) or a unit, a role and one address. */
export const invitationInput = z.object({
  residentId: z.uuid().nullish(),
  unitId: z.uuid().nullish(),
  role: z.string().min(1).max(40),
  relationship: z.string().trim().max(120).nullish(),
  email: z.email().nullish(),
  phone: z.string().regex(/^\+\d{8,15}$/).nullish(),
}).refine(input => Boolean(input.residentId) !== Boolean(input.unitId), {
  message: 'Invite to either a resident profile or a unit.',
}).refine(input => Boolean(input.email) !== Boolean(input.phone), {
  message: 'Give either an e-mail address or a phone number.',
})

export type InvitationInput = z.infer<typeof invitationInput>

/** Turns a refusal from an invitation RPC into an HTTP error that keeps its hint code. */
export function refused(action: string, error: { message: string, code?: string, hint?: string | null }) {
  const denied = error.code === '42501' || error.code === 'P0001'
  console.error(`${action} refused: ${error.code ?? ''} ${error.hint ?? ''}`)
  return createError({
    statusCode: denied ? 403 : 400,
    statusMessage: error.message,
    data: { hint: error.hint ?? undefined, code: error.code },
  })
}
