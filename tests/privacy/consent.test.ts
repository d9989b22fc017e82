// Consent (issue 10, point 2): the database refuses a living relation with a
// photo or description and no consent, records who confirmed it, and lets a
// person tagged in a photo see it and ask for its removal, which staff and
// the primary contact answer.
import { beforeAll, describe, expect, it } from 'vitest'
import { createUser, acceptTerms, createWorld, one, serverClient, type World } from '../access/fixtures'
import { addPhoto, objectCount } from './support'

let world: World
beforeAll(async () => {
  world = await createWorld('Samtykke')
})

describe('a living relation needs consent', () => {
  const relation = (extra: Record<string, unknown>) => ({
    resident_id: world.residentId, name: 'Per', relationship: 'sønn', created_by: world.users.relative, ...extra,
  })

  it('is refused with a description and no consent', async () => {
    const { error } = await (await world.client('relative')).from('relations')
      .insert(relation({ is_living: true, description: 'Bor i Stavanger.' }))
    expect(error?.message).toContain('relations_consent_when_living')
  })

  it('is refused with a photo and no consent', async () => {
    const { error } = await (await world.client('relative')).from('relations')
      .insert(relation({ is_living: true, photo_path: `${world.residentId}/relations/per.jpg` }))
    expect(error?.message).toContain('relations_consent_when_living')
  })

  it('is saved with consent, recorded as given by the caller now, whoever the client names', async () => {
    const { data, error } = await (await world.client('relative')).from('relations')
      .insert(relation({ is_living: true, description: 'Bor i Stavanger.', consent_confirmed_at: '2001-01-01T00:00:00Z',
        consent_confirmed_by: world.users.staff }))
      .select('consent_confirmed_by, consent_confirmed_at').single()
    expect(error).toBeNull()
    expect(data!.consent_confirmed_by).toBe(world.users.relative)
    expect(Math.abs(Date.parse(data!.consent_confirmed_at) - Date.now())).toBeLessThan(60_000)
  })

  it('keeps who confirmed when someone else edits the relation later', async () => {
    const client = await world.client('relative')
    const { data } = await client.from('relations').insert(relation({ is_living: true, description: 'Snekker.',
      consent_confirmed_at: new Date().toISOString() })).select('id').single()
    const edited = await (await world.client('staff')).from('relations').update({ description: 'Snekker i Gjøvik.' })
      .eq('id', data!.id).select('consent_confirmed_by').single()
    expect(edited.data!.consent_confirmed_by).toBe(world.users.relative)
  })

  it('is not asked for a relation who has died, nor one with only a name', async () => {
    const client = await world.client('relative')
    expect((await client.from('relations').insert(relation({ is_living: false, description: 'Døde i 2015.' }))).error).toBeNull()
    expect((await client.from('relations').insert(relation({ is_living: true }))).error).toBeNull()
  })

  it('holds for every living relation in the demo data', async () => {
    const row = await one<{ n: string }>(`select count(*) as n from public.relations where is_living
      and (photo_path is not null or coalesce(btrim(description), '') <> '') and consent_confirmed_at is null`)
    expect(Number(row!.n)).toBe(0)
  })
})

describe('photos of me and removal requests', () => {
  let outsider: string
  beforeAll(async () => {
    // Someone tagged in a photo on a profile they are not a member of.
    outsider = (await createUser('Tagged outsider')).id
    await acceptTerms(outsider)
  })

  it('a tagged person sees the photo, even on a profile they are not a member of', async () => {
    const photo = await addPhoto(world, 'relative', { caption: 'Sommer på hytta', tagged: [outsider] })
    const client = await world.clientOf(outsider)
    const { data, error } = await client.rpc('photos_of_me')
    expect(error).toBeNull()
    expect(data).toEqual([expect.objectContaining({ media_item_id: photo.id, caption: 'Sommer på hytta',
      resident_name: 'Ingrid Bakken', thumbnail_path: photo.thumbnail, request_status: null })])
    expect((await client.from('media_items').select('id').eq('id', photo.id)).data).toEqual([])
  })

  it('someone not tagged sees nothing and cannot ask', async () => {
    const photo = await addPhoto(world, 'relative', { tagged: [world.users.viewer] })
    const relative = await world.client('relative')
    expect((await relative.rpc('photos_of_me')).data).toEqual([])
    const { error } = await relative.rpc('request_media_removal', { media_item: photo.id, reason: 'nei' })
    expect(error).toMatchObject({ hint: 'not_tagged', message: 'You can only ask to remove photos you are tagged in.' })
  })

  it('staff and the primary contact see requests; other relatives do not', async () => {
    const photo = await addPhoto(world, 'relative', { tagged: [world.users.viewer] })
    const asked = await (await world.client('viewer')).rpc('request_media_removal', { media_item: photo.id, reason: 'Jeg liker ikke bildet' })
    expect(asked.error).toBeNull()
    for (const actor of ['staff', 'primaryContact', 'orgAdmin', 'viewer'] as const) {
      const { data } = await (await world.client(actor)).from('media_removal_requests').select('id, reason').eq('id', asked.data)
      expect(data, actor).toEqual([{ id: asked.data, reason: 'Jeg liker ikke bildet' }])
    }
    for (const actor of ['relative', 'otherUnitStaff', 'otherRelative'] as const) {
      const { data } = await (await world.client(actor)).from('media_removal_requests').select('id').eq('id', asked.data)
      expect(data, actor).toEqual([])
    }
    const inserted = await (await world.client('viewer')).from('media_removal_requests')
      .insert({ resident_id: world.residentId, media_item_id: photo.id })
    expect(inserted.error).not.toBeNull()
  })

  it('removing the tag keeps the photo and tells the person', async () => {
    const photo = await addPhoto(world, 'relative', { tagged: [world.users.viewer, world.users.resident] })
    const viewer = await world.client('viewer')
    const asked = await viewer.rpc('request_media_removal', { media_item: photo.id })
    const { data, error } = await (await world.client('staff')).rpc('decide_media_removal', { request: asked.data, decision: 'remove_tag' })
    expect(error).toBeNull()
    expect(data).toEqual([])
    expect(await one('select person_id from public.media_people where media_item_id = $1', [photo.id]))
      .toEqual({ person_id: world.users.resident })
    expect((await viewer.from('media_removal_requests').select('status, decided_by').eq('id', asked.data)).data)
      .toEqual([{ status: 'tag_removed', decided_by: world.users.staff }])
  })

  it('removing the photo deletes its row and returns every file, which the server then deletes', async () => {
    const photo = await addPhoto(world, 'relative', { tagged: [world.users.viewer] })
    const asked = await (await world.client('viewer')).rpc('request_media_removal', { media_item: photo.id })
    const { data, error } = await (await world.client('primaryContact')).rpc('decide_media_removal',
      { request: asked.data, decision: 'remove_photo' })
    expect(error).toBeNull()
    expect((data as { name: string }[]).map(k => k.name).sort()).toEqual([photo.display, photo.original, photo.thumbnail].sort())
    expect(await one('select id from public.media_items where id = $1', [photo.id])).toBeUndefined()
    await serverClient().storage.from('media').remove((data as { name: string }[]).map(k => k.name))
    expect(await objectCount(`${world.residentId}/media/${photo.id}/`)).toBe(0)
    const answers = await (await world.client('viewer')).rpc('my_removal_answers')
    expect(answers.data).toContainEqual(expect.objectContaining({ request_id: asked.data, status: 'photo_removed' }))
  })

  it('a relative cannot answer, and an answered request cannot be answered again', async () => {
    const photo = await addPhoto(world, 'relative', { tagged: [world.users.viewer] })
    const asked = await (await world.client('viewer')).rpc('request_media_removal', { media_item: photo.id })
    const refused = await (await world.client('relative')).rpc('decide_media_removal', { request: asked.data, decision: 'remove_photo' })
    expect(refused.error).toMatchObject({ hint: 'not_allowed_to_decide' })
    expect(await one('select status from public.media_removal_requests where id = $1', [asked.data])).toEqual({ status: 'pending' })
    await (await world.client('staff')).rpc('decide_media_removal', { request: asked.data, decision: 'decline' })
    const again = await (await world.client('staff')).rpc('decide_media_removal', { request: asked.data, decision: 'remove_photo' })
    expect(again.error).toMatchObject({ hint: 'already_decided', message: 'This request has already been answered.' })
    expect(await one('select id from public.media_items where id = $1', [photo.id])).toEqual({ id: photo.id })
  })
})
