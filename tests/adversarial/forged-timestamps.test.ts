// A signed-in user must not choose when their own item was added: a greeting dated 2099
// would sit above every new post in the feed, one dated 2020 would hide among old ones.
import { describe, expect, it } from 'vitest'
import { createWorld, one } from '../access/fixtures'

const forged = '2099-01-01T00:00:00Z'

describe('created_at is the database\'s time, whatever a user sends', async () => {
  const world = await createWorld('Forged time')
  const relative = await world.client('relative')
  const { data: post } = await (await world.client('primaryContact')).from('guestbook_posts')
    .insert({ resident_id: world.residentId, kind: 'greeting', body: 'Hei mamma' }).select('id').single()

  const rows: [string, () => Record<string, unknown>][] = [
    ['guestbook_posts', () => ({ resident_id: world.residentId, kind: 'greeting', body: 'Fra framtida' })],
    ['guestbook_comments', () => ({ resident_id: world.residentId, post_id: post!.id, body: 'Fra framtida' })],
    ['stories', () => ({ resident_id: world.residentId, title: 'Fra framtida', created_by: world.users.relative })],
  ]

  it.each(rows)('%s: a forged created_at is replaced by now', async (table, row) => {
    const { data, error } = await relative.from(table).insert({ ...row(), created_at: forged }).select('id').single()
    expect(error).toBeNull()
    const stored = await one<{ age: number }>(
      `select extract(epoch from now() - created_at) as age from public.${table} where id = $1`, [data!.id])
    expect(Math.abs(Number(stored!.age))).toBeLessThan(60)
  })
})
