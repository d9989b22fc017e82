// Many people's pages rendered by the server at once. The server renders each request with its
// own app and store, but Pinia falls back to "the active store set" when a store is asked for
// without the app at hand (after an `await` in route middleware), and under load that is
// another request's: a staff member's explore mode then leaked into a relative's page, or an
// edit page failed with HTTP 500. Each answer here must be the one its own person gets alone.
// (Plain HTTP against the built server; "browser" in the folder makes the setup start it.)
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createWorld, type World } from '../access/fixtures'
import { sessionCookie } from '../media/support'

const app = inject('app')
let world: World
let exploringStaff: string
let relative: string

beforeAll(async () => {
  world = await createWorld('Samtidig')
  exploringStaff = `${await sessionCookie(world.users.staff)}; minnespor-explore=%221%22`
  relative = await sessionCookie(world.users.relative)
})

async function get(path: string, cookie: string) {
  const response = await fetch(`${app.url}${path}`, { headers: { cookie }, redirect: 'manual' })
  return { status: response.status, location: response.headers.get('location') ?? '', html: await response.text() }
}

describe('pages rendered for several people at the same time', { timeout: 120_000 }, () => {
  it('each get their own person\'s answer: exploring staff are sent to leave explore mode, a relative is not exploring', async () => {
    const invitations = `/residents/${world.residentId}/invitations`
    const front = `/residents/${world.residentId}`
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => i % 2
        ? get(invitations, exploringStaff).then(answer => ({ who: 'staff', ...answer }))
        : get(front, relative).then(answer => ({ who: 'relative', ...answer }))))
      for (const answer of answers) {
        if (answer.who === 'staff') {
          expect(answer.status, `exploring staff on ${invitations}`).toBe(302)
          expect(answer.location).toContain('/explore/leave')
        }
        else {
          expect(answer.status, `relative on ${front}`).toBe(200)
          expect(answer.html).not.toContain('data-testid="explore-active"')
          expect(answer.html).toContain('data-testid="explore-enter"')
        }
      }
    }
  })

  it('each are sent to their own home from the front door', async () => {
    const homes = { staff: `/units/${world.unitId}`, relative: `/residents/${world.residentId}` }
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => i % 2
      ? get('/', exploringStaff).then(answer => ({ who: 'staff' as const, ...answer }))
      : get('/', relative).then(answer => ({ who: 'relative' as const, ...answer }))))
    for (const answer of answers) {
      expect(answer.status, answer.who).toBe(302)
      expect(new URL(answer.location, app.url).pathname, answer.who).toBe(homes[answer.who])
    }
  })
})
