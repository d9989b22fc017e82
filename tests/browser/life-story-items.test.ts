// Life-story items in the browser: photos (uploaded on the spot or picked from the albums)
// shown on the item and in the printed book, consent for living people, wishes followed to
// done with a glimpse in the guestbook, keyboard reordering, hiding, live deletes by
// others, unsaved changes kept, and no such controls for a viewer.
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addToResident, addToUnit, type CareHome, createCareHome, createPerson, ensureLegalDocuments, type Person, signedInPage, sql,
} from './fixtures'
import { expectAccessible, launchBrowser, screenshot, visit } from './support'

let browser: Browser
let home: CareHome
let staff: Person, daughter: Person, resident: Person, viewer: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Bilder')
  ;[staff, daughter, resident, viewer] = await Promise.all(['Siri Pleier', 'Dina Datter', 'Ingrid Selv', 'Vilde Venn']
    .map(name => createPerson(name)))
  await Promise.all([staff, daughter, resident, viewer].map(acceptTerms))
  await addToUnit(staff, home.unitId, 'staff')
  await addToResident(daughter, home.residentId, 'relative')
  await addToResident(viewer, home.residentId, 'viewer')
  await sql(`insert into public.resident_members (resident_id, user_id, role) values ($1, $2, 'resident')`,
    [home.residentId, resident.id])
  await sql(`update public.residents set birth_year = 1931 where id = $1`, [home.residentId])
})
afterAll(() => browser?.close())

const signedIn = (person: Person, viewport?: { width: number, height: number }) => signedInPage(browser, person, { viewport })

/** Polls wait this long: the test machine is shared and often busy. */
const patience = { timeout: 15_000 }
const base = () => `/residents/${home.residentId}`
const items = (page: Page) => page.getByTestId('life-story-item')
const titles = (page: Page) => items(page).locator('h3').allInnerTexts()

/** A real JPEG, as a phone would send it. */
function photoFile(colour: string) {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: colour } }).jpeg().toBuffer()
}

/** Whether an image element finished loading with real pixels. */
function loaded(page: Page, testId: string) {
  return page.getByTestId(testId).evaluateAll(images => images.map(image => (image as HTMLImageElement).naturalWidth > 0))
}

describe('photos on items', { timeout: 120_000 }, () => {
  test('a relative uploads a photo for a living sister, is asked for consent, and reuses the photo from the albums', async () => {
    const { page, context } = await signedIn(daughter)
    await visit(page, `${base()}/people`)
    await page.getByTestId('life-story-add').click()
    const form = page.getByTestId('life-story-form-people')
    await form.getByTestId('field-name').fill('Kari Nordmann')
    await form.getByTestId('field-relationship').fill('søster')
    expect(await form.getByText('Personen har sagt ja').count()).toBe(0)
    await form.getByLabel('Personen lever').check()
    await form.getByTestId('photo-upload').setInputFiles({ name: 'kari.jpg', mimeType: 'image/jpeg', buffer: await photoFile('#c96') })
    await expect.poll(() => loaded(page, 'photo-chosen'), { timeout: 30_000 }).toEqual([true])
    await form.getByTestId('life-story-save').click()
    await expect.poll(() => form.innerText(), patience).toContain('En levende person må ha sagt ja til at dette står her.')
    await expectAccessible(page, 'relation form with photo and consent')
    await form.getByLabel('Personen har sagt ja til at bilde og omtale står her').check()
    await form.getByTestId('life-story-save').click()
    await expect.poll(() => loaded(page, 'life-story-item-photo'), patience).toEqual([true])
    const [relation] = await sql<{ photo_path: string, consent_confirmed_by: string }>(
      `select photo_path, consent_confirmed_by from public.relations where name = 'Kari Nordmann'`)
    expect(relation!.photo_path).toMatch(new RegExp(`^${home.residentId}/media/`))
    expect(relation!.consent_confirmed_by).toBe(daughter.id)
    await screenshot(page, 'life-story-people-photo')

    await visit(page, `${base()}/life`)
    await page.getByTestId('life-story-add').click()
    const event = page.getByTestId('life-story-form-life')
    await event.getByTestId('field-title').fill('Konfirmasjon i Vågå kirke')
    await event.getByTestId('field-event_year').fill('1946')
    await event.getByTestId('photo-from-albums').click()
    await event.getByTestId('photo-choices').getByRole('button').first().click()
    await expect.poll(() => loaded(page, 'photo-chosen'), patience).toEqual([true])
    await event.getByTestId('life-story-save').click()
    await expect.poll(() => loaded(page, 'life-story-item-photo'), patience).toEqual([true])
    const [lifeEvent] = await sql<{ photo_path: string }>(`select photo_path from public.life_events where title = 'Konfirmasjon i Vågå kirke'`)
    expect(lifeEvent!.photo_path).toBe(relation!.photo_path)
    await context.close()
  })

  test('staff see who confirmed consent; the book prints both photos on A4', async () => {
    const { page, context } = await signedIn(staff, { width: 794, height: 1123 })
    await visit(page, `${base()}/people`)
    const sister = items(page).filter({ hasText: 'Kari Nordmann' })
    await expect.poll(() => sister.getByTestId('life-story-consent').innerText(), patience).toContain('Samtykke bekreftet av Dina Datter')

    await sql(`update public.relations set is_key = true where name = 'Kari Nordmann'`)
    await visit(page, base())
    const keyPeople = page.getByTestId('life-story-key-people')
    await expect.poll(() => keyPeople.innerText(), patience).toContain('Kari Nordmann')
    // The photo shows once its signed link has arrived, which may be after the name.
    await expect.poll(() => keyPeople.locator('img').evaluateAll(images => images.map(i => (i as HTMLImageElement).src !== '')), patience)
      .toEqual([true])

    await visit(page, `${base()}/book`)
    await expect.poll(() => loaded(page, 'book-photo'), patience).toEqual([true, true])
    await page.emulateMedia({ media: 'print' })
    expect(await page.getByRole('button', { name: 'Skriv ut eller lagre som PDF' }).isVisible()).toBe(false)
    await screenshot(page, 'life-story-book-a4-print')
    await context.close()
  })
})

describe('on a phone', { timeout: 60_000 }, () => {
  test('the form with its photo choices fits the screen and is accessible', async () => {
    const { page, context } = await signedIn(daughter, { width: 390, height: 844 })
    await visit(page, `${base()}/people`)
    await items(page).filter({ hasText: 'Kari Nordmann' }).getByTestId('life-story-edit').click()
    const form = page.getByTestId('life-story-form-people')
    await form.getByTestId('photo-from-albums').click()
    await expect.poll(() => form.getByTestId('photo-choices').getByRole('button').count(), patience).toBeGreaterThan(0)
    expect(await form.getByTestId('photo-choices').getByRole('button', { pressed: true }).count()).toBe(1)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await expectAccessible(page, 'relation form on a phone')
    await screenshot(page, 'life-story-people-form-phone')
    await context.close()
  })
})

describe('everyday wishes', { timeout: 90_000 }, () => {
  test('staff move a wish from wished to planned to done and post a glimpse about it', async () => {
    await sql(`insert into public.everyday_wishes (resident_id, category, title, created_by) values ($1, 'activity', 'Gå ned til kaia', $2)`,
      [home.residentId, daughter.id])
    const { page, context } = await signedIn(staff)
    await visit(page, `${base()}/everyday`)
    const wish = items(page).filter({ hasText: 'Gå ned til kaia' })
    const current = () => wish.locator('[aria-current="step"]').innerText()
    await expect.poll(current, patience).toContain('Ønsket')
    await wish.getByRole('button', { name: 'Marker som planlagt' }).click()
    await expect.poll(current, patience).toContain('Planlagt')
    await wish.getByRole('button', { name: 'Marker som gjort' }).click()
    await expect.poll(current, patience).toContain('Gjort')
    await expect.poll(() => wish.getByTestId('wish-done-at').innerText(), patience).toMatch(/^Gjort \d+\. \w+ \d{4}$/)
    const [row] = await sql<{ status: string, done_at: Date | null }>(`select status, done_at from public.everyday_wishes where title = 'Gå ned til kaia'`)
    expect(row!.status).toBe('done')
    expect(row!.done_at).not.toBeNull()

    await wish.getByTestId('wish-glimpse').click()
    await expect.poll(() => wish.getByTestId('wish-glimpse-body').inputValue(), patience).toBe('I dag ble et ønske oppfylt: Gå ned til kaia.')
    await wish.getByTestId('wish-glimpse-body').fill('I dag gikk vi ned til kaia. Ingrid hilste på fiskerne.')
    await expectAccessible(page, 'wish with glimpse form')
    await wish.getByTestId('wish-glimpse-post').click()
    await expect.poll(() => wish.getByTestId('wish-glimpse-form').count(), patience).toBe(0)
    const posts = await sql(`select kind, created_by from public.guestbook_posts where body = 'I dag gikk vi ned til kaia. Ingrid hilste på fiskerne.'`)
    expect(posts).toEqual([{ kind: 'glimpse', created_by: staff.id }])
    await screenshot(page, 'life-story-wish-done')
    await context.close()
  })

  test('a relative may add a photo to a fulfilled wish but is not offered a glimpse; a viewer gets neither', async () => {
    const relative = await signedIn(daughter)
    await visit(relative.page, `${base()}/everyday`)
    const wish = items(relative.page).filter({ hasText: 'Gå ned til kaia' })
    await expect.poll(() => wish.getByTestId('wish-photo').count(), patience).toBe(1)
    expect(await wish.getByTestId('wish-glimpse').count()).toBe(0)
    await wish.getByTestId('wish-photo').click()
    const form = relative.page.getByTestId('life-story-form-everyday')
    await form.getByLabel('Et nytt bilde viser personer som lever i dag').check()
    await form.getByTestId('photo-upload').setInputFiles({ name: 'kaia.jpg', mimeType: 'image/jpeg', buffer: await photoFile('#69c') })
    await expect.poll(() => form.getByTestId('photo-problem').innerText(), patience).toBe('Kryss av for samtykke før du laster opp bildet.')
    expect(await sql(`select 1 from public.media_items where file_name = 'kaia.jpg'`)).toEqual([])
    await form.getByLabel('Et nytt bilde viser personer som lever i dag').uncheck()
    await form.getByTestId('photo-from-albums').click()
    await form.getByTestId('photo-choices').getByRole('button').first().click()
    await form.getByTestId('life-story-save').click()
    await expect.poll(() => loaded(relative.page, 'life-story-item-photo'), patience).toEqual([true])
    await relative.context.close()

    const reader = await signedIn(viewer)
    await visit(reader.page, `${base()}/everyday`)
    await expect.poll(() => items(reader.page).count(), patience).toBe(1)
    for (const control of ['wish-next', 'wish-photo', 'wish-glimpse', 'life-story-edit', 'photo-upload', 'life-story-add']) {
      expect(await reader.page.getByTestId(control).count(), control).toBe(0)
    }
    await reader.context.close()
  })
})

describe('editing', { timeout: 90_000 }, () => {
  test('staff reorder key people with the keyboard, and the order is kept', async () => {
    for (const [position, name] of ['Anne', 'Bjørn', 'Cecilie'].entries()) {
      await sql(`insert into public.relations (resident_id, name, position, created_by) values ($1, $2, $3, $4)`,
        [home.residentId, `${name} Rekkefølge`, 10 + position, daughter.id])
    }
    const { page, context } = await signedIn(staff)
    await visit(page, `${base()}/people`)
    const ordered = async () => (await titles(page)).filter(title => title.endsWith('Rekkefølge'))
    await expect.poll(ordered, patience).toEqual(['Anne Rekkefølge', 'Bjørn Rekkefølge', 'Cecilie Rekkefølge'])
    await page.getByRole('button', { name: 'Flytt ned: Anne Rekkefølge' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(ordered, patience).toEqual(['Bjørn Rekkefølge', 'Anne Rekkefølge', 'Cecilie Rekkefølge'])
    await page.getByRole('button', { name: 'Flytt opp: Cecilie Rekkefølge' }).focus()
    await page.keyboard.press('Space')
    await expect.poll(ordered, patience).toEqual(['Bjørn Rekkefølge', 'Cecilie Rekkefølge', 'Anne Rekkefølge'])
    const stored = async () => (await sql<{ name: string }>(`select name from public.relations
      where resident_id = $1 and name like '%Rekkefølge' order by position, created_at`, [home.residentId])).map(r => r.name)
    await expect.poll(stored, patience).toEqual(['Bjørn Rekkefølge', 'Cecilie Rekkefølge', 'Anne Rekkefølge'])
    await visit(page, `${base()}/people`)
    await expect.poll(ordered, patience).toEqual(['Bjørn Rekkefølge', 'Cecilie Rekkefølge', 'Anne Rekkefølge'])
    await context.close()
  })

  test('the timeline runs by year; staff reorder events within one year', async () => {
    for (const [title, year] of [['Giftet seg i Lom', 1950], ['Flyttet til Bismo', 1950], ['Lærte å svømme', 1940]] as const) {
      await sql(`insert into public.life_events (resident_id, title, event_year, life_period, created_by)
        values ($1, $2, $3, 'youth', $4)`, [home.residentId, title, year, daughter.id])
    }
    const { page, context } = await signedIn(staff)
    await visit(page, `${base()}/life`)
    const youth = async () => (await titles(page)).filter(title => ['Giftet seg i Lom', 'Flyttet til Bismo', 'Lærte å svømme'].includes(title))
    await expect.poll(youth, patience).toEqual(['Lærte å svømme', 'Giftet seg i Lom', 'Flyttet til Bismo'])
    expect(await page.getByRole('button', { name: 'Flytt opp: Giftet seg i Lom' }).isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: 'Flytt ned: Lærte å svømme' }).isDisabled()).toBe(true)
    await page.getByRole('button', { name: 'Flytt opp: Flyttet til Bismo' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(youth, patience).toEqual(['Lærte å svømme', 'Flyttet til Bismo', 'Giftet seg i Lom'])
    await context.close()
  })

  test('the resident hides what a relative wrote; a viewer no longer sees it, and nothing was deleted', async () => {
    await sql(`insert into public.interests (resident_id, title, created_by) values ($1, 'Bingo på torsdager', $2)`,
      [home.residentId, daughter.id])
    const own = await signedIn(resident)
    await visit(own.page, `${base()}/interests`)
    const item = items(own.page).filter({ hasText: 'Bingo på torsdager' })
    expect(await item.getByTestId('life-story-edit').count()).toBe(0)
    await item.getByTestId('life-story-hide').click()
    await expect.poll(() => item.getByTestId('life-story-hidden-badge').count(), patience).toBe(1)
    await own.context.close()
    expect(await sql(`select hidden from public.interests where title = 'Bingo på torsdager'`)).toEqual([{ hidden: true }])

    const reader = await signedIn(viewer)
    await visit(reader.page, `${base()}/interests`)
    await expect.poll(() => reader.page.getByTestId('life-story-section-interests').isVisible(), patience).toBe(true)
    await reader.page.waitForTimeout(500)
    expect(await items(reader.page).filter({ hasText: 'Bingo på torsdager' }).count()).toBe(0)
    await reader.context.close()
  })

  test('what others add and delete appears without reloading', async () => {
    const { page, context } = await signedIn(staff)
    await visit(page, `${base()}/life`)
    await expect.poll(() => page.getByTestId('life-story-section-life').isVisible(), patience).toBe(true)
    // No wait for the live channel: a change made before it joined is read on joining.
    const [row] = await sql<{ id: string }>(`insert into public.life_events (resident_id, title, event_year, created_by)
      values ($1, 'Flyttet til Lillehammer', 1960, $2) returning id`, [home.residentId, daughter.id])
    const moved = items(page).filter({ hasText: 'Flyttet til Lillehammer' })
    await expect.poll(() => moved.count(), patience).toBe(1)
    await sql(`delete from public.life_events where id = $1`, [row!.id])
    await expect.poll(() => moved.count(), patience).toBe(0)
    await context.close()
  })

  test('a half-written item is not lost by a mistaken click on the way back', async () => {
    const { page, context } = await signedIn(daughter)
    await visit(page, `${base()}/interests`)
    await page.getByTestId('life-story-add').click()
    await page.getByTestId('life-story-form-interests').getByTestId('field-title').fill('Sykkelturer langs Otta')
    const asked: string[] = []
    page.once('dialog', (dialog) => {
      asked.push(dialog.message())
      void dialog.dismiss()
    })
    await page.getByRole('link', { name: 'Tilbake til profilen' }).click()
    await expect.poll(() => asked.length, patience).toBe(1)
    expect(new URL(page.url()).pathname).toBe(`${base()}/interests`)
    expect(await page.getByTestId('field-title').inputValue()).toBe('Sykkelturer langs Otta')
    await context.close()
  })
})
