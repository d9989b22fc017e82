// Issue 10, point 1 is built elsewhere (tests/health-check); this only checks
// that it still covers every free-text field the issue names, the guestbook
// included, and that a text saved straight through supabase-js leaves a flag.
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, type World } from '../access/fixtures'

let world: World
beforeAll(async () => {
  world = await createWorld('Helsesjekk')
})

const checked = {
  residents: ['introduction'],
  relations: ['description'],
  life_events: ['title', 'description'],
  stories: ['title', 'body_text'],
  interests: ['title', 'description'],
  everyday_wishes: ['title', 'description'],
  albums: ['title', 'description'],
  media_items: ['caption'],
  guestbook_posts: ['body'],
  guestbook_comments: ['body'],
}

describe('the health-information check on the server', () => {
  it('has its trigger on every free-text field', async () => {
    const { rows } = await db<{ table: string, definition: string }>(`select c.relname as table, pg_get_triggerdef(t.oid) as definition
      from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and t.tgname = 'record_health_flags'`)
    for (const [table, columns] of Object.entries(checked)) {
      const trigger = rows.find(row => row.table === table)
      expect(trigger, table).toBeDefined()
      for (const column of columns) expect(trigger!.definition, `${table}.${column}`).toContain(column)
    }
  })

  it('flags a guestbook post saved straight through supabase-js, unconfirmed', async () => {
    const client = await world.client('relative')
    const post = await client.from('guestbook_posts')
      .insert({ resident_id: world.residentId, body: 'Mamma fikk ny dose Paracet i dag.', created_by: world.users.relative })
      .select('id').single()
    expect(post.error).toBeNull()
    const { rows } = await db(`select matched_terms, confirmed from public.health_flags where row_id = $1`, [post.data!.id])
    expect(rows).toHaveLength(1)
    expect(rows[0]!.confirmed).toBe(false)
  })
})
