import { createHash, randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { acceptTerms, actors, can, createUser, createWorld, db, one, rowExists, type World } from './fixtures.ts'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

let world: World
beforeAll(async () => {
  world = await createWorld('invitations')
})

/** Staff invite someone to the resident as a relative; returns the raw token and the invitee. */
async function inviteRelative() {
  const invitee = await createUser('Invitert')
  const staff = await world.client('staff')
  const { data, error } = await staff.rpc('create_invitation', {
    resident_id: world.residentId, role: 'relative', relationship: 'barnebarn', email: invitee.email,
  })
  expect(error).toBeNull()
  return { ...data[0] as { id: string, token: string }, invitee }
}

describe('an invitation to a profile', () => {
  it('stores only the hash of its token', async () => {
    const { id, token } = await inviteRelative()
    const row = await one(`select token_hash, to_jsonb(i)::text as everything
      from public.invitations i where id = $1`, [id])
    expect(row!.token_hash).toBe(sha256(token))
    expect(row!.everything).not.toContain(token)
  })

  it('can be previewed without signing in, and the preview does not use it up', async () => {
    const { token, invitee } = await inviteRelative()
    const anon = await world.client('anonymous')
    for (let i = 0; i < 2; i++) {
      const { data, error } = await anon.rpc('invitation_preview', { token })
      expect(error).toBeNull()
      expect(data).toEqual([{
        status: 'valid', kind: 'resident', resident_name: 'Ingrid Bakken', unit_name: 'Solsiden',
        role: 'relative', relationship: 'barnebarn', invited_by_name: 'staff',
        masked_address: `${invitee.email[0]}***@test.minnespor.no`,
      }])
    }
  })

  it('makes the invitee a member once accepted, and records who accepted when', async () => {
    const { id, token, invitee } = await inviteRelative()
    const { data, error } = await (await world.clientOf(invitee.id)).rpc('accept_invitation', { token })
    expect(error).toBeNull()
    expect(data).toEqual([{ resident_id: world.residentId, unit_id: null, role: 'relative' }])
    expect(await rowExists('resident_members',
      { resident_id: world.residentId, user_id: invitee.id, role: 'relative', relationship: 'barnebarn' })).toBe(true)
    const invitation = await one(`select accepted_by, accepted_at is not null as accepted from public.invitations
      where id = $1`, [id])
    expect(invitation).toEqual({ accepted_by: invitee.id, accepted: true })
    expect(await rowExists('audit_events', { action: 'invitation_accepted', subject_user_id: invitee.id })).toBe(true)
  })

  it('gives access to the profile once the invitee has accepted the terms', async () => {
    const { token, invitee } = await inviteRelative()
    const client = await world.clientOf(invitee.id)
    await client.rpc('accept_invitation', { token })
    expect((await client.from('residents').select('id')).data).toEqual([])
    await acceptTerms(invitee.id)
    expect((await client.from('residents').select('id')).data).toEqual([{ id: world.residentId }])
  })

  it('accepts an invitation by phone, whatever the number\'s formatting', async () => {
    const invitee = await createUser('Telefon', { phone: '4791234567' })
    const { data } = await (await world.client('staff')).rpc('create_invitation',
      { resident_id: world.residentId, role: 'viewer', phone: '+47 912 34 567' })
    expect(await rowExists('invitations', { id: data[0].id, phone: '4791234567' })).toBe(true)
    const { error } = await (await world.clientOf(invitee.id)).rpc('accept_invitation', { token: data[0].token })
    expect(error).toBeNull()
    expect(await rowExists('resident_members',
      { resident_id: world.residentId, user_id: invitee.id, role: 'viewer' })).toBe(true)
  })
})

describe('an invitation that cannot be used', () => {
  const cases = [
    {
      name: 'an expired invitation',
      prepare: (id: string) => db(`update public.invitations set expires_at = now() - interval '1 minute'
        where id = $1`, [id]),
      status: 'expired',
      hint: 'invitation_expired',
      message: 'This invitation has expired. Ask the person who invited you for a new one.',
    },
    {
      name: 'a revoked invitation',
      prepare: async (id: string) => {
        const { error } = await (await world.client('staff')).rpc('revoke_invitation', { invitation_id: id })
        expect(error).toBeNull()
      },
      status: 'revoked',
      hint: 'invitation_revoked',
      message: 'This invitation was withdrawn. Ask the person who invited you for a new one.',
    },
    {
      name: 'a used invitation',
      prepare: (id: string) => db(`update public.invitations set accepted_at = now() where id = $1`, [id]),
      status: 'used',
      hint: 'invitation_used',
      message: 'This invitation has already been used. Ask the person who invited you for a new one.',
    },
  ]

  for (const c of cases) {
    it(`${c.name} says so in its preview and gives no membership`, async () => {
      const { id, token, invitee } = await inviteRelative()
      await c.prepare(id)
      const preview = await (await world.client('anonymous')).rpc('invitation_preview', { token })
      expect(preview.data[0].status).toBe(c.status)
      const { error } = await (await world.clientOf(invitee.id)).rpc('accept_invitation', { token })
      expect(error).toMatchObject({ code: 'P0001', hint: c.hint, message: c.message })
      expect(await rowExists('resident_members', { resident_id: world.residentId, user_id: invitee.id })).toBe(false)
    })
  }

  it('cannot be used a second time, not even by the same person', async () => {
    const { token, invitee } = await inviteRelative()
    const client = await world.clientOf(invitee.id)
    expect((await client.rpc('accept_invitation', { token })).error).toBeNull()
    const { error } = await client.rpc('accept_invitation', { token })
    expect(error).toMatchObject({ hint: 'invitation_used' })
  })

  it('cannot be accepted by someone with another address', async () => {
    const { id, token } = await inviteRelative()
    const stranger = await createUser('Fremmed')
    const { error } = await (await world.clientOf(stranger.id)).rpc('accept_invitation', { token })
    expect(error).toMatchObject({
      hint: 'invitation_wrong_address',
      message: 'This invitation was sent to another e-mail address or phone number. '
        + 'Sign in with the address it was sent to.',
    })
    expect(await rowExists('resident_members', { resident_id: world.residentId, user_id: stranger.id })).toBe(false)
    expect((await one(`select accepted_at from public.invitations where id = $1`, [id]))!.accepted_at).toBeNull()
  })

  it('is not found with a wrong token, in preview or acceptance', async () => {
    await inviteRelative()
    const token = randomUUID().replace(/-/g, '')
    const message = 'This invitation link is not valid. Check that the whole link or code was copied.'
    const preview = await (await world.client('anonymous')).rpc('invitation_preview', { token })
    expect(preview.error).toMatchObject({ hint: 'invitation_not_found', message })
    const accept = await (await world.client('relative')).rpc('accept_invitation', { token })
    expect(accept.error).toMatchObject({ hint: 'invitation_not_found', message })
  })

  it('cannot be accepted without signing in', async () => {
    const { token } = await inviteRelative()
    const { error } = await (await world.client('anonymous')).rpc('accept_invitation', { token })
    expect(error).not.toBeNull()
    expect((await (await world.client('anonymous')).rpc('invitation_preview', { token })).data[0].status).toBe('valid')
  })

  it('cannot be revoked by a relative', async () => {
    const { id } = await inviteRelative()
    const { error } = await (await world.client('relative')).rpc('revoke_invitation', { invitation_id: id })
    expect(error).toMatchObject({ hint: 'invitation_not_found' })
    expect((await one(`select revoked_at from public.invitations where id = $1`, [id]))!.revoked_at).toBeNull()
  })
})

describe('who may invite', () => {
  for (const actor of actors) {
    const may = (can.moderate as readonly string[]).includes(actor)
    it(`${actor} ${may ? 'can' : 'cannot'} invite a relative to the profile`, async () => {
      const email = `ny.${randomUUID().slice(0, 8)}@test.minnespor.no`
      const { error } = await (await world.client(actor)).rpc('create_invitation',
        { resident_id: world.residentId, role: 'relative', email })
      expect(error === null).toBe(may)
      expect(await rowExists('invitations', { email })).toBe(may)
    })
  }

  it('a primary contact cannot invite another primary contact', async () => {
    const email = `pc.${randomUUID().slice(0, 8)}@test.minnespor.no`
    const { error } = await (await world.client('primaryContact')).rpc('create_invitation',
      { resident_id: world.residentId, role: 'primary_contact', email })
    expect(error).toMatchObject({
      hint: 'not_allowed_to_invite_role',
      message: 'A primary contact can invite relatives and viewers; ask the staff for other roles.',
    })
  })

  for (const actor of actors) {
    const may = (can.manageUnit as readonly string[]).includes(actor)
    it(`${actor} ${may ? 'can' : 'cannot'} invite staff to the unit`, async () => {
      const email = `ansatt.${randomUUID().slice(0, 8)}@test.minnespor.no`
      const { error } = await (await world.client(actor)).rpc('create_invitation',
        { unit_id: world.unitId, role: 'staff', email })
      expect(error === null).toBe(may)
      expect(await rowExists('invitations', { email })).toBe(may)
    })
  }

  it('a superuser cannot invite a leader', async () => {
    const email = `leder.${randomUUID().slice(0, 8)}@test.minnespor.no`
    const { error } = await (await world.client('superuser')).rpc('create_invitation',
      { unit_id: world.unitId, role: 'leader', email })
    expect(error).toMatchObject({ hint: 'not_allowed_to_invite_role' })
  })

  it('a staff invitation makes the invitee staff of the unit', async () => {
    const invitee = await createUser('Ny ansatt')
    const { data } = await (await world.client('leader')).rpc('create_invitation',
      { unit_id: world.unitId, role: 'staff', email: invitee.email })
    const { error } = await (await world.clientOf(invitee.id)).rpc('accept_invitation', { token: data[0].token })
    expect(error).toBeNull()
    expect(await rowExists('unit_members', { unit_id: world.unitId, user_id: invitee.id, role: 'staff' })).toBe(true)
  })
})
