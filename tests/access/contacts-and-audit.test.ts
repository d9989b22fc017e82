import { beforeAll, describe, expect, it } from 'vitest'
import { actors, createWorld, one, type Actor, type World } from './fixtures.ts'

// Contact details of a profile's members go to its staff and admins only; the
// audit trail of access changes to org admins and the unit's leaders.
let world: World
beforeAll(async () => {
  world = await createWorld('contacts')
})

const seesContacts: Actor[] = ['orgAdmin', 'leader', 'superuser', 'staff']
const readsAudit: Actor[] = ['orgAdmin', 'leader']

describe('contact details of a profile\'s members', () => {
  for (const actor of actors) {
    const may = seesContacts.includes(actor)
    it(`${actor} ${may ? 'can' : 'cannot'} see them`, async () => {
      const { data, error } = await (await world.client(actor)).rpc('resident_member_contacts',
        { resident_id: world.residentId })
      if (!may) {
        expect(error).not.toBeNull()
        return
      }
      expect(error).toBeNull()
      const relative = await one(`select email, phone from auth.users where id = $1`, [world.users.relative])
      expect(data).toContainEqual({ user_id: world.users.relative, display_name: 'relative', ...relative })
    })
  }

  it('are refused with a sentence that says who may see them', async () => {
    const { error } = await (await world.client('primaryContact')).rpc('resident_member_contacts',
      { resident_id: world.residentId })
    expect(error).toMatchObject({ hint: 'not_allowed_to_see_contacts',
      message: 'Only staff and admins can see the contact details of a profile\'s members.' })
  })
})

describe('the audit trail', () => {
  beforeAll(async () => {
    const { error } = await (await world.client('primaryContact')).rpc('remove_member',
      { resident_id: world.residentId, user_id: world.users.viewer })
    expect(error).toBeNull()
  })

  for (const actor of actors) {
    const may = readsAudit.includes(actor)
    it(`${actor} ${may ? 'can' : 'cannot'} read who removed whom`, async () => {
      const { data } = await (await world.client(actor)).from('audit_events')
        .select('action, actor_id, subject_user_id, details').eq('resident_id', world.residentId)
        .eq('action', 'member_removed')
      expect(data).toEqual(may
        ? [{ action: 'member_removed', actor_id: world.users.primaryContact, subject_user_id: world.users.viewer,
            details: { role: 'viewer' } }]
        : [])
    })
  }
})
