import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import { labelledSentences, scoreHealthCheck } from '../../shared/health-check/evaluate.ts'
import { checkHealthText, normaliseHealthText } from '../../shared/utils/healthCheck.ts'
import { stack } from '../../local-stack/tests/support.ts'
import { createWorld, db, one, type Actor, type World } from '../access/fixtures.ts'

// The server side of the health check: the same rules in Postgres, and a
// health_flags row for text saved by a client that never showed the warning.

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
  return (await db<Flag>(`select table_name, column_name, matched_terms, categories, written_by, confirmed,
    confirmed_by from public.health_flags where row_id = $1 order by column_name`, [rowId])).rows
}

let world: World
beforeAll(async () => {
  world = await createWorld('Helsesjekk')
})

describe('private.health_matches', () => {
  it('agrees with the browser check on every labelled sentence, and keeps the 0.9 floor', async () => {
    const texts = labelledSentences.map(s => s.text)
    const { rows } = await db<{ terms: string[] | null }>(`select (select array_agg(m.term order by m.start_at)
      from private.health_matches(t) m) as terms from unnest($1::text[]) with ordinality as s (t, n) order by n`, [texts])
    const disagreements = texts.filter((text, i) =>
      JSON.stringify(rows[i]!.terms ?? []) !== JSON.stringify(checkHealthText(text).matches.map(m => m.text)))
    expect(disagreements).toEqual([])

    const score = scoreHealthCheck(labelledSentences, rows.map(r => r.terms !== null))
    expect(score.precision).toBeGreaterThanOrEqual(0.9)
    expect(score.recall).toBeGreaterThanOrEqual(0.9)
  })

  it('gives the same positions and categories as the browser check', async () => {
    const text = 'ÆØÅ! Mor har DEMENS og får Paracet 500 mg, sa fastlegen.'
    const { rows } = await db(`select term as text, category, start_at as start, end_at as "end"
      from private.health_matches($1)`, [text])
    expect(rows).toEqual(checkHealthText(text).matches)
    expect(rows.map(r => r.text)).toEqual(['DEMENS', 'Paracet', '500 mg', 'fastlegen'])
  })

  it('lower-cases exactly as the browser check does', async () => {
    const all = Array.from({ length: 0x100 - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('')
    const row = await one(`select private.health_normalise($1) as text`, [all])
    expect(row!.text).toBe(normaliseHealthText(all))
  })

  it('finds nothing in empty or missing text', async () => {
    const row = await one(`select (select count(*) from private.health_matches('')) + (select count(*)
      from private.health_matches(null)) as n`)
    expect(Number(row!.n)).toBe(0)
  })
})

describe('a guestbook post saved straight through supabase-js', () => {
  async function post(body: string, confirmed?: string) {
    const client = await world.client('relative')
    let insert = client.from('guestbook_posts').insert({ resident_id: world.residentId, body }).select('id')
    if (confirmed) insert = insert.setHeader('x-health-confirmed', confirmed)
    const { data, error } = await insert.single()
    expect(error).toBeNull()
    return data!.id as string
  }

  it('leaves an unconfirmed flag when the client skipped the warning', async () => {
    const id = await post('Mamma fikk ny dose Paracet i dag')
    expect(await flagsOf(id)).toEqual([{
      table_name: 'guestbook_posts', column_name: 'body', matched_terms: ['dose', 'Paracet'],
      categories: ['medication'], written_by: world.users.relative, confirmed: false, confirmed_by: null,
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
    expect(await flagsOf(id)).toMatchObject([{ matched_terms: ['influensa'], confirmed: false, confirmed_by: null }])
  })

  it('records nothing for an everyday post', async () => {
    const id = await post('Takk for en fin dag! Mamma lo og var glad i dag. Hun er glad i å gå tur.')
    expect(await flagsOf(id)).toEqual([])
  })

  it('follows the text: rephrasing replaces or clears the flag, deleting the post removes it', async () => {
    const client = await world.client('relative')
    const id = await post('Hun har feber')

    await client.from('guestbook_posts').update({ body: 'Hun har feber og hoster' }).eq('id', id)
      .setHeader('x-health-confirmed', 'true')
    expect(await flagsOf(id)).toMatchObject([{ matched_terms: ['feber', 'hoster'], confirmed: true }])

    await client.from('guestbook_posts').update({ body: 'Hun var i godt humør' }).eq('id', id)
    expect(await flagsOf(id)).toEqual([])

    await client.from('guestbook_posts').update({ body: 'Hun har demens' }).eq('id', id)
    expect(await flagsOf(id)).toHaveLength(1)
    const { error } = await client.from('guestbook_posts').delete().eq('id', id)
    expect(error).toBeNull()
    expect(await flagsOf(id)).toEqual([])
  })

  it('keeps a confirmation while the confirmed words stay, and drops it for new ones', async () => {
    const client = await world.client('relative')
    const id = await post('Hun fikk Paracet', 'true')

    await client.from('guestbook_posts').update({ body: 'Hun fikk paracet og sov godt' }).eq('id', id)
    expect(await flagsOf(id)).toMatchObject([
      { matched_terms: ['paracet'], confirmed: true, confirmed_by: world.users.relative },
    ])

    await client.from('guestbook_posts').update({ body: 'Hun fikk paracet og insulin' }).eq('id', id)
    expect(await flagsOf(id)).toMatchObject([{ matched_terms: ['paracet', 'insulin'], confirmed: false, confirmed_by: null }])
  })

  it('keeps the flag when a moderator removes the post without changing its text', async () => {
    const id = await post('Han tar Marevan')
    const staff = await world.client('staff')
    const { error } = await staff.from('guestbook_posts').update({ removed_at: new Date().toISOString() }).eq('id', id)
    expect(error).toBeNull()
    expect(await flagsOf(id)).toMatchObject([{ matched_terms: ['Marevan'], written_by: world.users.relative }])
  })
})

describe('every free-text column is checked', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['life_events', { title: 'Hjerneslag', description: 'Hun ble innlagt på Haukeland.' }, ['description', 'title']],
    ['stories', { title: 'Sommeren 1962', body_text: 'Etter cellegiften ble hun sterkere.' }, ['body_text']],
    ['interests', { title: 'Strikking', description: 'Strikker ikke lenger på grunn av leddgikt.' }, ['description']],
    ['everyday_wishes', { title: 'Tablettene knust i syltetøy', description: 'Om morgenen.' }, ['title']],
    ['albums', { title: 'Sykehusoppholdet', description: 'Bilder fra rehabiliteringen' }, ['description', 'title']],
  ])('%s', async (table, text, columns) => {
    const client = await world.client('relative')
    const { data, error } = await client.from(table).insert({ resident_id: world.residentId, ...text })
      .select('id').single()
    expect(error).toBeNull()
    const flags = await flagsOf(data!.id)
    expect(flags.map(f => f.column_name)).toEqual(columns)
    expect(flags.every(f => f.table_name === table && !f.confirmed)).toBe(true)
  })

  it('comments, captions, relations and the introduction, whoever saves them', async () => {
    const postId = (await one(`insert into public.guestbook_posts (resident_id, body, created_by)
      values ($1, 'Hei!', $2) returning id`, [world.residentId, world.authorId]))!.id
    const comment = await one(`insert into public.guestbook_comments (post_id, resident_id, body, created_by)
      values ($1, $2, 'God bedring med lungebetennelsen!', $3) returning id`, [postId, world.residentId, world.authorId])
    const mediaId = randomUUID()
    await db(`insert into public.media_items (id, resident_id, storage_path, kind, caption, created_by)
      values ($1, $2, $3, 'image', 'Første dag etter operasjonen', $4)`,
    [mediaId, world.residentId, `${world.residentId}/${mediaId}.jpg`, world.authorId])
    const relation = await one(`insert into public.relations (resident_id, name, description, created_by)
      values ($1, 'Per', 'Sønnen som kjører henne til legetimen', $2) returning id`, [world.residentId, world.authorId])
    await db(`update public.residents set introduction = 'Jeg har Parkinson, men elsker å danse.' where id = $1`,
      [world.residentId])

    expect((await flagsOf(comment!.id))[0]).toMatchObject({ column_name: 'body', matched_terms: ['lungebetennelsen'] })
    expect((await flagsOf(mediaId))[0]).toMatchObject({ column_name: 'caption', matched_terms: ['operasjonen'] })
    expect((await flagsOf(relation!.id))[0]).toMatchObject({ column_name: 'description', matched_terms: ['legetimen'] })
    expect((await flagsOf(world.residentId))[0]).toMatchObject({
      table_name: 'residents', column_name: 'introduction', matched_terms: ['Parkinson'], written_by: null,
    })
  })

  it('counts a confirmation set for the transaction by SQL run without PostgREST', async () => {
    const connection = new pg.Client({ connectionString: stack.dbUrl })
    await connection.connect()
    try {
      await connection.query('begin')
      await connection.query(`select set_config('minnespor.health_confirmed', 'true', true)`)
      const row = await connection.query(`insert into public.guestbook_posts (resident_id, body, created_by)
        values ($1, 'Hun fikk insulin', $2) returning id`, [world.residentId, world.authorId])
      await connection.query('commit')
      expect(await flagsOf(row.rows[0].id)).toMatchObject([{ matched_terms: ['insulin'], confirmed: true }])
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

  const readers: Actor[] = ['orgAdmin', 'leader', 'superuser', 'staff', 'primaryContact']
  const others: Actor[] = ['relative', 'viewer', 'resident', 'otherUnitStaff', 'otherRelative', 'termsNotAccepted',
    'formerStaff', 'anonymous']

  it.each(readers)('%s, who moderates the profile, sees them', async (actor) => {
    const { data, error } = await (await world.client(actor)).from('health_flags').select('matched_terms')
      .eq('row_id', postId)
    expect(error).toBeNull()
    expect(data).toEqual([{ matched_terms: ['antibiotika'] }])
  })

  it.each(others)('%s does not', async (actor) => {
    const { data } = await (await world.client(actor)).from('health_flags').select('id').eq('row_id', postId)
    expect(data ?? []).toEqual([])
  })

  it.each<Actor>(['staff', 'relative'])('%s cannot write, change or delete them', async (actor) => {
    const client = await world.client(actor)
    const inserted = await client.from('health_flags').insert({
      resident_id: world.residentId, table_name: 'guestbook_posts', row_id: randomUUID(), column_name: 'body',
      matched_terms: ['x'], categories: ['diagnosis'], confirmed: true,
    })
    expect(inserted.error?.code).toBe('42501')
    const updated = await client.from('health_flags').update({ confirmed: true }).eq('row_id', postId)
    expect(updated.error?.code).toBe('42501')
    const deleted = await client.from('health_flags').delete().eq('row_id', postId)
    expect(deleted.error?.code).toBe('42501')
    expect(await flagsOf(postId)).toMatchObject([{ matched_terms: ['antibiotika'], confirmed: false }])
  })
})
