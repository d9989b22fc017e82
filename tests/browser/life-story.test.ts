// The life story in the browser: a superuser creates a resident, a relative fills in each
// section from the prompts and staff see it; a viewer gets no edit controls and the
// database refuses their write anyway; staff are not offered to create residents.
import { createClient } from '@supabase/supabase-js'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import WebSocket from 'ws'
import {
  acceptTerms, addToResident, addToUnit, type CareHome, createCareHome, createPerson, ensureLegalDocuments, fixturePassword, type Person, signedInPage, sql,
} from './fixtures'
import { expectAccessible, launchBrowser, screenshot, stack, visit } from './support'

let browser: Browser
let home: CareHome
let superuser: Person, staff: Person, daughter: Person, viewer: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Livshistorie')
  ;[superuser, staff, daughter, viewer] = await Promise.all(['Sara Superbruker', 'Stian Pleier', 'Dina Datter', 'Vera Venn']
    .map(name => createPerson(name)))
  await Promise.all([superuser, staff, daughter, viewer].map(acceptTerms))
  await addToUnit(superuser, home.unitId, 'superuser')
  await addToUnit(staff, home.unitId, 'staff')
  await addToResident(daughter, home.residentId, 'relative')
  await addToResident(viewer, home.residentId, 'viewer')
})
afterAll(() => browser?.close())

const signedIn = (person: Person) => signedInPage(browser, person)

/** supabase-js signed in as the person, as a script in their browser could be. */
async function clientOf(person: Person) {
  const client = createClient(stack.apiUrl, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: WebSocket as never },
  })
  const { error } = await client.auth.signInWithPassword({ email: person.email, password: fixturePassword })
  if (error) throw error
  return client
}

async function answerPrompt(page: Page, prompt: string, text: string) {
  const form = page.getByTestId(`prompt-${prompt}`)
  await form.getByTestId('prompt-answer').fill(text)
  await form.getByTestId('prompt-save').click()
}

const items = (page: Page) => page.getByTestId('life-story-item')

describe('creating a resident', { timeout: 90_000 }, () => {
  test('a superuser creates one from the unit page and lands on the profile, asked to invite the family', async () => {
    const { page, context } = await signedIn(superuser)
    await visit(page, `/units/${home.unitId}`)
    await page.getByTestId('resident-create-open').click()
    await page.getByTestId('resident-create-submit').click()
    await expect.poll(() => page.getByTestId('resident-create-form').innerText()).toContain('Dette feltet må fylles ut.')
    await page.getByTestId('resident-create-display_name').fill('Olav Nybakken')
    await page.getByTestId('resident-create-preferred_name').fill('Olav')
    await page.getByTestId('resident-create-birth_year').fill('1934')
    await page.getByTestId('resident-create-grew_up_in').fill('Vågå')
    await expectAccessible(page, 'create resident')
    await page.getByTestId('resident-create-submit').click()
    await page.waitForURL(/\/residents\/[0-9a-f-]+\?created=1/)
    await expect.poll(() => page.getByTestId('resident-invite-family').isVisible()).toBe(true)
    expect(await page.locator('h1').innerText()).toBe('Olav Nybakken')
    const [row] = await sql<{ birth_year: number, grew_up_in: string, created_by: string }>(
      `select birth_year, grew_up_in, created_by from public.residents where display_name = 'Olav Nybakken'`)
    expect(row).toEqual({ birth_year: 1934, grew_up_in: 'Vågå', created_by: superuser.id })
    await expectAccessible(page, 'new profile')
    await screenshot(page, 'life-story-new-resident')
    await context.close()
  })

  test('staff are not offered the form, and the database refuses them', async () => {
    const { page, context } = await signedIn(staff)
    await visit(page, `/units/${home.unitId}`)
    await expect.poll(() => page.getByTestId('unit-page').isVisible()).toBe(true)
    expect(await page.getByTestId('resident-create-open').count()).toBe(0)
    await context.close()
    const { error } = await (await clientOf(staff)).from('residents').insert({ unit_id: home.unitId, display_name: 'Snik Snikesen' })
    expect(error?.code).toBe('42501')
  })
})

describe('filling in the life story', { timeout: 120_000 }, () => {
  test('a relative answers the prompts in each section, and staff see it with who added it', async () => {
    const { page, context } = await signedIn(daughter)
    const base = `/residents/${home.residentId}`

    await visit(page, `${base}/who-i-am`)
    await answerPrompt(page, 'grewUp', 'På en gård i Vågå')
    await expect.poll(() => page.getByTestId('field-grew_up_in').inputValue()).toBe('På en gård i Vågå')
    await expectAccessible(page, 'who I am')

    const answers: [string, string, string][] = [
      ['people', 'family', 'Per, sønnen min'],
      ['life', 'work', 'Lærer på Vågå skole'],
      ['interests', 'hobby', 'Strikking'],
      ['everyday', 'morningMusic', 'Prøysen-viser'],
    ]
    for (const [section, prompt, text] of answers) {
      await visit(page, `${base}/${section}`)
      await answerPrompt(page, prompt, text)
      await expect.poll(() => items(page).first().innerText()).toContain(text)
      expect(await items(page).first().innerText()).toContain('Lagt til av Dina Datter')
      await expectAccessible(page, `section ${section}`)
    }

    // A fuller event through the form: year, place, life period; a year before birth is refused.
    await sql(`update public.residents set birth_year = 1931 where id = $1`, [home.residentId])
    await visit(page, `${base}/life`)
    await page.getByTestId('life-story-add').click()
    const form = page.getByTestId('life-story-form-life')
    await form.getByTestId('field-title').fill('Flyttet til Oslo')
    await form.getByTestId('field-event_year').fill('1920')
    await form.getByTestId('field-life_period').selectOption('youth')
    await form.getByTestId('life-story-save').click()
    await expect.poll(() => form.innerText()).toContain('Året er før beboeren ble født.')
    await form.getByTestId('field-event_year').fill('1950')
    await form.getByTestId('field-place').fill('Oslo')
    await form.getByTestId('life-story-save').click()
    await expect.poll(() => page.getByText('1950 · Oslo').count()).toBe(1)
    expect(await page.getByRole('heading', { name: 'Ungdom' }).count()).toBe(1)
    await screenshot(page, 'life-story-timeline')
    await context.close()

    const seen = await signedIn(staff)
    await visit(seen.page, base)
    await expect.poll(() => seen.page.getByTestId('life-story-link-people').innerText()).toContain('1 ting')
    await visit(seen.page, `${base}/everyday`)
    await expect.poll(() => items(seen.page).first().innerText()).toContain('Prøysen-viser')
    expect(await items(seen.page).first().innerText()).toContain('Lagt til av Dina Datter')
    // Staff may edit what the relative added.
    expect(await seen.page.getByTestId('life-story-edit').count()).toBe(1)
    await screenshot(seen.page, 'life-story-everyday-staff')
    await seen.context.close()
  })

  test('a delete can be undone within a few seconds; a sensitive mark shows', async () => {
    await sql(`insert into public.interests (resident_id, title, created_by) values ($1, 'Fiske i Otta', $2)`,
      [home.residentId, staff.id])
    const { page, context } = await signedIn(staff)
    await visit(page, `/residents/${home.residentId}/interests`)
    const item = items(page).filter({ hasText: 'Fiske i Otta' })
    await item.getByTestId('life-story-sensitive').click()
    await expect.poll(() => item.getByTestId('life-story-sensitive-badge').count()).toBe(1)
    await item.getByTestId('life-story-delete').click()
    await expect.poll(() => item.count()).toBe(0)
    await page.getByRole('button', { name: 'Angre' }).click()
    await expect.poll(() => item.count()).toBe(1)
    await page.waitForTimeout(7_000)
    const rows = await sql(`select sensitive from public.interests where title = 'Fiske i Otta'`)
    expect(rows).toEqual([{ sensitive: true }])
    await context.close()
  })
})

describe('at a glance', { timeout: 60_000 }, () => {
  test('the profile and the unit\'s printable shift briefing show name, topics, what calms, what to avoid and the latest greeting', async () => {
    const wishes: [string, string, boolean][] = [
      ['conversation', 'Fotball på Lillehammer', false], ['calming', 'Kaffe og en vott å holde i', false],
      ['dislikes', 'Høye stemmer', false],
    ]
    for (const [category, title, sensitive] of wishes) {
      await sql(`insert into public.everyday_wishes (resident_id, category, title, sensitive, created_by) values ($1, $2, $3, $4, $5)`,
        [home.residentId, category, title, sensitive, staff.id])
    }
    await sql(`insert into public.life_events (resident_id, title, sensitive, created_by) values ($1, 'Sønnen Jon døde ung', true, $2)`,
      [home.residentId, staff.id])
    await sql(`insert into public.guestbook_posts (resident_id, kind, body, created_by) values ($1, 'greeting', 'God morgen, mamma!', $2)`,
      [home.residentId, daughter.id])

    const { page, context } = await signedIn(staff)
    await visit(page, `/residents/${home.residentId}`)
    const card = page.getByTestId('life-story-glance')
    await expect.poll(() => card.innerText()).toContain('Fotball på Lillehammer')
    const text = await card.innerText()
    for (const expected of ['Inga', 'Kaffe og en vott å holde i', 'Høye stemmer', 'Sønnen Jon døde ung', 'Sårt tema', 'God morgen, mamma!']) {
      expect(text).toContain(expected)
    }

    await visit(page, `/units/${home.unitId}`)
    await page.getByTestId('unit-briefing-link').click()
    await page.waitForURL(/\/briefing$/)
    await expect.poll(() => page.getByTestId('life-story-glance').first().innerText()).toContain('Fotball på Lillehammer')
    await expectAccessible(page, 'briefing')
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('header').first().isVisible()).toBe(false)
    await screenshot(page, 'life-story-briefing-print')
    await context.close()
  })
})

describe('a viewer', { timeout: 60_000 }, () => {
  test('sees the life story without edit controls, and a direct write is refused', async () => {
    await sql(`insert into public.relations (resident_id, name, created_by) values ($1, 'Kari, søsteren min', $2)`,
      [home.residentId, staff.id])
    const { page, context } = await signedIn(viewer)
    await visit(page, `/residents/${home.residentId}/people`)
    await expect.poll(() => page.getByText('Kari, søsteren min').count()).toBe(1)
    expect(await page.getByTestId('life-story-read-only').isVisible()).toBe(true)
    for (const control of ['life-story-add', 'life-story-edit', 'life-story-delete', 'life-story-hide', 'prompt-answer']) {
      expect(await page.getByTestId(control).count(), control).toBe(0)
    }
    await expectAccessible(page, 'people as viewer')
    await context.close()

    const client = await clientOf(viewer)
    const { error } = await client.from('relations').insert({ resident_id: home.residentId, name: 'Inntrenger' })
    expect(error?.code).toBe('42501')
    const { data } = await client.from('relations').update({ name: 'Endret' }).eq('resident_id', home.residentId).select('id')
    expect(data).toEqual([])
  })
})
