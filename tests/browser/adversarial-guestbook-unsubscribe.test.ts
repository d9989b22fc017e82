// The "turn off these e-mails" links work without signing in, so anyone can
// tamper with them: tokens that are not tokens, SQL, arrays, a token in both the
// address and the body, a token of someone else's choice. Each must answer
// "not known" (never a 500), and a real token turns off exactly its own choice.
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, one, type World } from '../access/fixtures'
import { app } from './support'

let world: World
let relativeToken: string

beforeAll(async () => {
  world = await createWorld('Avmelding angrep')
  await db(`insert into public.guestbook_notice_preferences (user_id, resident_id, frequency) values
    ($1, $3, 'immediately'), ($2, $3, 'daily'), ($1, $4, 'daily')`,
  [world.users.relative, world.users.primaryContact, world.residentId, world.otherResidentId])
  relativeToken = (await one<{ t: string }>(`select unsubscribe_token as t from public.guestbook_notice_preferences
    where user_id = $1 and resident_id = $2`, [world.users.relative, world.residentId]))!.t
})

async function post(path: string, body?: unknown) {
  const response = await fetch(`${app.url}${path}`, { method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: response.status, text: await response.text() }
}

const frequencies = async () => (await db<{ user_id: string, resident_id: string, frequency: string }>(
  `select user_id, resident_id, frequency from public.guestbook_notice_preferences where user_id = any($1::uuid[])
   order by user_id, resident_id`, [[world.users.relative, world.users.primaryContact]])).rows

describe('tampered unsubscribe links', () => {
  const tampered: [string, string, unknown][] = [
    ['no token at all', '/api/guestbook/unsubscribe', undefined],
    ['SQL in the query', `/api/guestbook/unsubscribe?token=${encodeURIComponent('\' or 1=1 --')}`, undefined],
    ['two tokens in the query', '/api/guestbook/unsubscribe?token=a&token=b', undefined],
    ['a token that was never given out', `/api/guestbook/unsubscribe?token=${crypto.randomUUID()}`, undefined],
    ['an object as the token', '/api/guestbook/unsubscribe', { token: { $ne: null } }],
    ['a list as the token', '/api/guestbook/unsubscribe', { token: ['x'] }],
    ['the token upper-cased with a space', '/api/guestbook/unsubscribe', { token: ' 00000000-0000-0000-0000-00000000000A ' }],
    ['the reminders link with SQL', `/api/admin/nudges-off?token=${encodeURIComponent('1; drop table x')}`, undefined],
  ]
  it.each(tampered)('answers %s with "not known" and changes nothing', async (_, path, body) => {
    const before = await frequencies()
    const answer = await post(path, body)
    expect(answer.status, answer.text).toBe(404)
    expect(await frequencies()).toEqual(before)
  })

  it('a real token turns off that one choice only, and names no more than the resident', async () => {
    const answer = await post(`/api/guestbook/unsubscribe?token=${relativeToken}`)
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.text)).toEqual({ residentName: 'Ingrid Bakken' })
    const after = await frequencies()
    expect(after.filter(r => r.frequency === 'off')).toEqual([
      { user_id: world.users.relative, resident_id: world.residentId, frequency: 'off' }])
    expect(after.filter(r => r.frequency !== 'off').length).toBe(2)
  })
})
