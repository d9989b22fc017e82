// A user deletes their own account (issue 10, point 4): memberships go at
// once; what they wrote waits for the primary contact's choice, keep or
// remove, and is removed when nobody chooses within 30 days.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { acceptTerms, createUser, createWorld, db, one, serverClient, type World } from '../access/fixtures'
import { deleteOwnAccount } from '../../server/utils/privacy/deletion'
import { removeOverdueDepartedContent, sendDepartedNotices } from '../../server/utils/privacy/jobs'
import type { Mail } from '../../server/utils/mailer'
import { addPhoto, jpeg, objectCount } from './support'

let world: World
const sent: Mail[] = []
const mailer = {
  async send(mail: Mail) {
    sent.push(mail)
  },
}

beforeAll(async () => {
  world = await createWorld('Konto')
})

/** A relative who wrote a post, a comment and a photo on the world's resident. */
async function writer(name: string) {
  const user = await createUser(name)
  await acceptTerms(user.id)
  await db(`insert into public.resident_members (resident_id, user_id, role) values ($1, $2, 'relative')`, [world.residentId, user.id])
  const client = await world.clientOf(user.id)
  const post = await client.from('guestbook_posts').insert({ resident_id: world.residentId, body: `Hilsen fra ${name}`, created_by: user.id })
    .select('id').single()
  await (await world.client('primaryContact')).from('guestbook_comments')
    .insert({ post_id: post.data!.id, resident_id: world.residentId, body: 'Takk!', created_by: world.users.primaryContact })
  const life = await client.from('life_events').insert({ resident_id: world.residentId, title: 'Bryllup', created_by: user.id }).select('id').single()
  const story = await client.from('stories').insert({ resident_id: world.residentId, title: 'Sommer', created_by: user.id }).select('id').single()
  const file = `${world.residentId}/media/${randomUUID()}/original.jpg`
  const uploaded = await serverClient().storage.from('media').upload(file, await jpeg(), { contentType: 'image/jpeg' })
  expect(uploaded.error).toBeNull()
  // The server stores uploads now, naming no owner; a file from before names its uploader.
  await db('update storage.objects set owner = $1::uuid, owner_id = $1::text where bucket_id = $2 and name = $3', [user.id, 'media', file])
  return { ...user, file, postId: post.data!.id, lifeEventId: life.data!.id, storyId: story.data!.id }
}

async function deleteAccount(userId: string) {
  return deleteOwnAccount(await world.clientOf(userId), serverClient(), userId)
}

describe('deleting one\'s own account', () => {
  it('removes the person, every membership, and asks the primary contact about what they wrote', async () => {
    const person = await writer('Kari Utflytter')
    const result = await deleteAccount(person.id)
    expect(result).toEqual({ pendingChoices: 1 })
    expect(await one('select id from auth.users where id = $1', [person.id])).toBeUndefined()
    expect(await one('select user_id from public.resident_members where user_id = $1', [person.id])).toBeUndefined()
    expect(await one('select id from public.guestbook_posts where id = $1', [person.postId])).toEqual({ id: person.postId })
    // Their file stays for now, naming no owner who is gone.
    expect(await one('select owner, owner_id from storage.objects where name = $1', [person.file]))
      .toEqual({ owner: null, owner_id: null })

    const { data } = await (await world.client('primaryContact')).from('departed_author_decisions')
      .select('author_name, item_count').eq('departed_user_id', person.id)
    expect(data).toEqual([{ author_name: 'Kari Utflytter', item_count: 3 }])
    for (const actor of ['relative', 'staff', 'viewer'] as const) {
      const seen = await (await world.client(actor)).from('departed_author_decisions').select('id').eq('departed_user_id', person.id)
      expect(seen.data, actor).toEqual([])
    }
    const audit = await db(`select action, details->>'reason' as reason from public.audit_events where subject_user_id is null
      and resident_id = $1 and action = 'member_removed' and details->>'reason' = 'account_deleted'`, [world.residentId])
    expect(audit.rows.length).toBeGreaterThan(0)
  })

  it('keeps what they wrote when the primary contact chooses so', async () => {
    const person = await writer('Ola Beholdt')
    await deleteAccount(person.id)
    const decision = await one<{ id: string }>('select id from public.departed_author_decisions where departed_user_id = $1', [person.id])
    const { error } = await (await world.client('primaryContact')).rpc('decide_departed_content', { decision: decision!.id, keep: true })
    expect(error).toBeNull()
    // Kept, with the author shown as unknown rather than pointing at a deleted person.
    expect(await one('select created_by from public.guestbook_posts where id = $1', [person.postId])).toEqual({ created_by: null })
    expect(await one('select id from public.departed_author_decisions where id = $1', [decision!.id])).toBeUndefined()
  })

  it('removes what they wrote, photos and files too, when the primary contact chooses so', async () => {
    const person = await writer('Per Fjernet')
    await db(`insert into public.resident_members (resident_id, user_id, role) values ($1, $2, 'relative')
      on conflict do nothing`, [world.residentId, person.id])
    const photo = await addPhoto({ ...world, users: { ...world.users, relative: person.id } } as World, 'relative')
    await deleteAccount(person.id)
    const decision = await one<{ id: string }>('select id from public.departed_author_decisions where departed_user_id = $1', [person.id])
    const refused = await (await world.client('relative')).rpc('decide_departed_content', { decision: decision!.id, keep: false })
    expect(refused.error).toMatchObject({ hint: 'not_allowed_to_decide' })

    const { data, error } = await (await world.client('primaryContact')).rpc('decide_departed_content', { decision: decision!.id, keep: false })
    expect(error).toBeNull()
    expect((data as { name: string }[]).map(k => k.name).sort()).toEqual([photo.display, photo.original, photo.thumbnail].sort())
    for (const [table, id] of [['guestbook_posts', person.postId], ['life_events', person.lifeEventId],
      ['stories', person.storyId], ['media_items', photo.id]]) {
      expect(await one(`select id from public.${table} where id = $1`, [id]), table).toBeUndefined()
    }
    await serverClient().storage.from('media').remove((data as { name: string }[]).map(k => k.name))
    expect(await objectCount(`${world.residentId}/media/${photo.id}/`)).toBe(0)
  })

  it('removes it by default 30 days later, after telling the primary contact by e-mail', async () => {
    const person = await writer('Lise Glemt')
    await deleteAccount(person.id)
    const contact = await one<{ email: string }>('select email from auth.users where id = $1', [world.users.primaryContact])
    // Only the departed-author steps: the whole job would also act on other test files' archived profiles.
    await sendDepartedNotices(serverClient(), mailer, 'https://minnespor.test')
    // Other tests in this file also leave departed authors behind: find the one about Lise.
    const mail = sent.find(m => m.subject.includes('har sluttet') && m.text.includes('Lise Glemt'))
    expect(mail).toMatchObject({ to: contact!.email })
    expect(mail!.text).toContain('Lise Glemt har slettet kontoen sin')
    expect(mail!.text).toContain(`https://minnespor.test/residents/${world.residentId}/privacy`)

    await removeOverdueDepartedContent(serverClient(), new Date(Date.now() + 29 * 86_400_000))
    expect(await one('select id from public.guestbook_posts where id = $1', [person.postId])).toBeDefined()
    await sendDepartedNotices(serverClient(), mailer, 'https://minnespor.test')
    await removeOverdueDepartedContent(serverClient(), new Date(Date.now() + 31 * 86_400_000))
    expect(await one('select id from public.guestbook_posts where id = $1', [person.postId])).toBeUndefined()
    expect(sent.filter(m => m.text.includes('Lise Glemt'))).toHaveLength(1)
  })
})
