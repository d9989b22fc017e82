import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import { stack } from '../../local-stack/tests/support.ts'
import { createWorld, db, one, type Actor, type World } from '../access/fixtures.ts'

// The server side of the health check: text saved by a client that never
// showed the warning still leaves a health_flags row that staff can see.

interface Flag {
  table_name: string
  column_name: string
  matched_terms: string[]
  categories: string[]
  written_by: string | null
  confirmed: boolean
  confirmed_by: string | null
}

async function flagsOf(rowId: string) {
  const { rows } = await db<Flag>(`select table_name, column_name, matched_terms, categories,
      written_by, confirmed, confirmed_by
    from public.health_flags where row_id = $1 order by column_name`, [rowId])
  return rows
}

let world: World
beforeAll(async () => {
  world = await createWorld('Helsesjekk')
})

/** A guestbook post by the resident's relative, through supabase-js, optionally confirmed. */
async function post(body: string, confirmed?: string) {
  const client = await world.client('relative')
  let insert = client.from('guestbook_posts').insert({ resident_id: world.residentId, body })
    .select('id')
  if (confirmed) insert = insert.setHeader('x-health-confirmed', confirmed)
  const { data, error } = await insert.single()
  expect(error).toBeNull()
  return data!.id as string
}

async function editPost(id: string, body: string, confirmed = false) {
  const client = await world.client('relative')
  let update = client.from('guestbook_posts').update({ body }).eq('id', id)
  if (confirmed) update = update.setHeader('x-health-confirmed', 'true')
  const { error } = await update
  expect(error).toBeNull()
}

describe('a guestbook post saved straight through supabase-js', () => {
  it('leaves an unconfirmed flag when the client skipped the warning', async () => {
    const id = await post('Mamma fikk ny dose Paracet i dag')
    expect(await flagsOf(id)).toEqual([{
      table_name: 'guestbook_posts', column_name: 'body', matched_terms: ['dose', 'Paracet'],
      categories: ['medication'], written_by: world.users.relative, confirmed: false,
      confirmed_by: null,
    }])
  })

  it('records who confirmed the warning when the client says so', async () => {
    const id = await post('Mamma fikk ny dose Paracet i dag', 'true')
    expect(await flagsOf(id)).toMatchObject([
      { matched_terms: ['dose', 'Paracet'], confirmed: true, confirmed_by: world.users.relative },
    ])
  })

  it('treats any other header value as not confirmed', async () => {
    const id = await post('Han har fått influensa', 'yes')
    expect(await flagsOf(id)).toMatchObject([{ matched_terms: ['influensa'], confirmed: false }])
  })

  it('records nothing for an everyday post', async () => {
    const id = await post('Takk for en fin dag! Mamma lo og var glad. Hun er glad i å gå tur.')
    expect(await flagsOf(id)).toEqual([])
  })

  it('follows the text: rephrasing replaces or clears the flag, deleting removes it', async () => {
    const id = await post('Hun har feber')
    await editPost(id, 'Hun har feber og hoster', true)
    expect(await flagsOf(id)).toMatchObject([{ matched_terms: ['feber', 'hoster'], confirmed: true }])

    await editPost(id, 'Hun var i godt humør')
    expect(await flagsOf(id)).toEqual([])

    await editPost(id, 'Hun har demens')
    expect(await flagsOf(id)).toHaveLength(1)
    const client = await world.client('relative')
    expect((await client.from('guestbook_posts').delete().eq('id', id)).error).toBeNull()
    expect(await flagsOf(id)).toEqual([])
  })

  it('keeps a confirmation while the confirmed words stay, and drops it for new ones', async () => {
    const id = await post('Hun fikk Paracet', 'true')
    await editPost(id, 'Hun fikk paracet og sov godt')
    expect(await flagsOf(id)).toMatchObject([
      { matched_terms: ['paracet'], confirmed: true, confirmed_by: world.users.relative },
    ])

    await editPost(id, 'Hun fikk paracet og insulin')
    expect(await flagsOf(id)).toMatchObject([
      { matched_terms: ['paracet', 'insulin'], confirmed: false, confirmed_by: null },
    ])
  })

  it('keeps the flag when a moderator removes the post without changing its text', async () => {
    const id = await post('Han tar Marevan')
    const staff = await world.client('staff')
    const removed = await staff.from('guestbook_posts')
      .update({ removed_at: new Date().toISOString() }).eq('id', id)
    expect(removed.error).toBeNull()
    expect(await flagsOf(id)).toMatchObject([
      { matched_terms: ['Marevan'], written_by: world.users.relative },
    ])
  })
})

describe('every free-text column is checked', () => {
  it.each<[string, Record<string, string>, string[]]>([
    ['life_events', { title: 'Hjerneslag', description: 'Hun ble innlagt på Haukeland.' },
      ['description', 'title']],
    ['stories', { title: 'Sommeren 1962', body_text: 'Etter cellegiften ble hun sterkere.' },
      ['body_text']],
    ['interests', { title: 'Strikking', description: 'Strikker ikke lenger, har leddgikt.' },
      ['description']],
    ['everyday_wishes', { title: 'Tablettene knust i syltetøy', description: 'Om morgenen.' },
      ['title']],
    ['albums', { title: 'Sykehusoppholdet', description: 'Bilder fra rehabiliteringen' },
      ['description', 'title']],
  ])('%s, saved by a relative', async (table, text, columns) => {
    const client = await world.client('relative')
    const { data, error } = await client.from(table)
      .insert({ resident_id: world.residentId, ...text }).select('id').single()
    expect(error).toBeNull()
    const flags = await flagsOf(data!.id)
    expect(flags.map(f => f.column_name)).toEqual(columns)
    expect(flags.every(f => f.table_name === table && !f.confirmed)).toBe(true)
  })

  it('comments, captions, relations and the introduction, whoever saves them', async () => {
    const { residentId, authorId } = world
    const postId = (await one(`insert into public.guestbook_posts (resident_id, body, created_by)
      values ($1, 'Hei!', $2) returning id`, [residentId, authorId]))!.id
    const comment = await one(`insert into public.guestbook_comments
      (post_id, resident_id, body, created_by)
      values ($1, $2, 'God bedring med lungebetennelsen!', $3) returning id`,
    [postId, residentId, authorId])
    const mediaId = randomUUID()
    await db(`insert into public.media_items (id, resident_id, storage_path, kind, caption, created_by)
      values ($1, $2, $3, 'image', 'Første dag etter operasjonen', $4)`,
    [mediaId, residentId, `${residentId}/${mediaId}.jpg`, authorId])
    const relation = await one(`insert into public.relations (resident_id, name, description, created_by)
      values ($1, 'Per', 'Sønnen som kjører henne til legetimen', $2) returning id`,
    [residentId, authorId])
    await db(`update public.residents set introduction = 'Jeg har Parkinson, men elsker å danse.'
      where id = $1`, [residentId])

    const [commentFlag] = await flagsOf(comment!.id)
    expect(commentFlag).toMatchObject({ column_name: 'body', matched_terms: ['lungebetennelsen'] })
    const [captionFlag] = await flagsOf(mediaId)
    expect(captionFlag).toMatchObject({ column_name: 'caption', matched_terms: ['operasjonen'] })
    const [relationFlag] = await flagsOf(relation!.id)
    expect(relationFlag).toMatchObject({ column_name: 'description', matched_terms: ['legetimen'] })
    expect(await flagsOf(residentId)).toMatchObject([{
      table_name: 'residents', column_name: 'introduction', matched_terms: ['Parkinson'],
      written_by: null,
    }])
  })

  it('counts a confirmation that SQL without PostgREST sets for its transaction', async () => {
    const connection = new pg.Client({ connectionString: stack.dbUrl })
    await connection.connect()
    try {
      await connection.query('begin')
      await connection.query(`select set_config('minnespor.health_confirmed', 'true', true)`)
      const { rows } = await connection.query(`insert into public.guestbook_posts
        (resident_id, body, created_by) values ($1, 'Hun fikk insulin', $2) returning id`,
      [world.residentId, world.authorId])
      await connection.query('commit')
      expect(await flagsOf(rows[0].id)).toMatchObject([{ matched_terms: ['insulin'], confirmed: true }])
    }
    finally {
      await connection.end()
    }
  })
})

describe('who sees health flags', () => {
  let postId: string
  beforeAll(async () => {
    postId = (await one(`insert into public.guestbook_posts (resident_id, body, created_by)
      values ($1, 'Hun har fått antibiotika', $2) returning id`, [world.residentId, world.authorId]))!.id
  })

  const moderators: Actor[] = ['orgAdmin', 'leader', 'superuser', 'staff', 'primaryContact']
  const others: Actor[] = ['relative', 'viewer', 'resident', 'otherUnitStaff', 'otherRelative',
    'termsNotAccepted', 'formerStaff', 'anonymous']

  it.each(moderators)('%s, who moderates the profile, sees them', async (actor) => {
    const client = await world.client(actor)
    const { data, error } = await client.from('health_flags').select('matched_terms')
      .eq('row_id', postId)
    expect(error).toBeNull()
    expect(data).toEqual([{ matched_terms: ['antibiotika'] }])
  })

  it.each(others)('%s does not', async (actor) => {
    const client = await world.client(actor)
    const { data } = await client.from('health_flags').select('id').eq('row_id', postId)
    expect(data ?? []).toEqual([])
  })

  it.each<Actor>(['staff', 'relative'])('%s cannot write, change or delete them', async (actor) => {
    const client = await world.client(actor)
    const inserted = await client.from('health_flags').insert({
      resident_id: world.residentId, table_name: 'guestbook_posts', row_id: randomUUID(),
      column_name: 'body', matched_terms: ['x'], categories: ['diagnosis'], confirmed: true,
    })
    expect(inserted.error?.code).toBe('42501')
    const updated = await client.from('health_flags').update({ confirmed: true })
      .eq('row_id', postId)
    expect(updated.error?.code).toBe('42501')
    const deleted = await client.from('health_flags').delete().eq('row_id', postId)
    expect(deleted.error?.code).toBe('42501')
    expect(await flagsOf(postId)).toMatchObject([{ matched_terms: ['antibiotika'], confirmed: false }])
  })
})
