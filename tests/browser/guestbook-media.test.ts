// Posts with real phone photos and videos in Chromium: they go through the albums'
// pipeline (HEIC turned into JPEG, GPS gone, videos play inline), can be picked from
// the albums, keep to "10 photos or one video", and a lost network keeps the text.
// Also how a post reads: role in words, friendly time, long text, emoji and links.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fixturesExist, fixturesRoot, leftoverMetadata } from '../media/support'
import { acceptTerms, addToResident, addToUnit, createCareHome, createPerson, ensureLegalDocuments,
  fixturePassword, sql, type CareHome, type Person } from './fixtures'
import { adminClient, expectAccessible, launchBrowser, openPage, screenshot, signIn, visit, waitForHome } from './support'

if (!fixturesExist) console.log(`Skipping guestbook posts with real phone media: ${fixturesRoot} is missing.`)
const media = (path: string) => resolve(fixturesRoot, path)

let browser: Browser
let home: CareHome
let staff: Person
let relative: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Medier')
  staff = await createPerson('Stine Pleier')
  relative = await createPerson('Per Sønn')
  await addToUnit(staff, home.unitId, 'staff')
  await addToResident(relative, home.residentId, 'relative')
  await sql(`update public.resident_members set relationship = 'sønn' where user_id = $1`, [relative.id])
  for (const person of [staff, relative]) await acceptTerms(person)
})
afterAll(() => browser?.close())

async function frontPage(person: Person, viewport?: { width: number, height: number }) {
  const opened = await openPage(browser, { viewport, serviceWorkers: 'block' })
  opened.page.setDefaultTimeout(30_000)
  await signIn(opened.page, person.email, fixturePassword)
  await waitForHome(opened.page)
  await visit(opened.page, `/residents/${home.residentId}`)
  await opened.page.getByTestId('guestbook-composer').waitFor()
  return opened
}

interface AttachedItem {
  id: string
  kind: string
  storage_path: string
  mime_type: string
  variants: { display: string | null, thumbnail: string }
}

const attachedTo = (body: string) => sql<AttachedItem>(`select m.id, m.kind, m.storage_path, m.mime_type, m.variants
  from public.guestbook_post_media a join public.media_items m on m.id = a.media_item_id
  join public.guestbook_posts p on p.id = a.post_id where p.body = $1 order by a.position`, [body])

async function stored(path: string) {
  const { data, error } = await adminClient().storage.from('media').download(path)
  expect(error).toBeNull()
  return Buffer.from(await data!.arrayBuffer())
}

describe.runIf(fixturesExist)('photos and a video from the phone, through the albums\' pipeline', () => {
  test('an iPhone HEIC and a JPEG with GPS are shown as photos, without position', { timeout: 120_000 }, async () => {
    const { page, context } = await frontPage(staff, { width: 390, height: 844 })
    await page.getByTestId('guestbook-files').setInputFiles([media('heic/iphone7-gps.heic'),
      media('gps/iphone5-gps-orientation3.jpg')])
    await expect.poll(() => page.getByTestId('guestbook-attachments').locator('li').count()).toBe(2)
    await page.getByTestId('guestbook-text').fill('Bilder fra turen til bryggen i dag')
    // People on the photos: the albums' consent question, asked before anything is stored.
    await page.getByTestId('guestbook-living-people').click()
    await page.getByTestId('guestbook-submit').click()
    await expect.poll(() => page.getByTestId('guestbook-composer-problem').innerText())
      .toBe('Kryss av for at de som vises har sagt ja, før du deler bildene.')
    await page.getByTestId('guestbook-consent').click()
    await page.getByTestId('guestbook-submit').click()
    const post = page.getByTestId('guestbook-post').filter({ hasText: 'Bilder fra turen til bryggen' })
    for (const name of ['Bilde 1', 'Bilde 2']) {
      const image = post.getByRole('img', { name })
      await image.waitFor()
      await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    }
    expect(await page.getByTestId('guestbook-text').inputValue()).toBe('')
    await screenshot(page, 'guestbook-photos-phone')

    const items = await attachedTo('Bilder fra turen til bryggen i dag')
    expect(items.map(i => i.kind)).toEqual(['image', 'image'])
    expect(await sql(`select shows_living_people, consent_confirmed_by from public.media_items
      where id = any($1::uuid[])`, [items.map(i => i.id)])).toEqual([
      { shows_living_people: true, consent_confirmed_by: staff.id },
      { shows_living_people: true, consent_confirmed_by: staff.id }])
    for (const item of items) {
      expect(item.storage_path).toMatch(new RegExp(`^${home.residentId}/media/${item.id}/original-[0-9a-f]{8}\\.`))
      expect(item.mime_type).not.toMatch(/heic|heif/)
      expect(await leftoverMetadata(await stored(item.storage_path))).not.toContain('GPS')
      expect(await leftoverMetadata(await stored(item.variants.display!))).toEqual([])
    }
    await context.close()
  })

  test('a relative\'s phone video plays inline in the post', { timeout: 120_000 }, async () => {
    const { page, context } = await frontPage(relative)
    await page.getByTestId('guestbook-files').setInputFiles(media('video/h264-720p-loci-gps.mp4'))
    await page.getByTestId('guestbook-text').fill('Hilsen fra hytta, se her!')
    await page.getByTestId('guestbook-submit').click()
    const video = page.getByTestId('guestbook-post').filter({ hasText: 'Hilsen fra hytta' }).locator('video')
    await video.waitFor()
    expect(await video.getAttribute('controls')).not.toBeNull()
    expect(await video.getAttribute('poster')).toMatch(/^http/)
    // The browser read the stored file's header: it is a video it can play, right there.
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState >= 1 && v.duration > 0),
      { timeout: 20_000 }).toBe(true)
    await video.scrollIntoViewIfNeeded()
    await screenshot(page, 'guestbook-video-pc')
    const [item] = await attachedTo('Hilsen fra hytta, se her!')
    expect(item!.kind).toBe('video')
    await expectAccessible(page, 'guestbook with a video')
    await context.close()
  })

  test('a photo already in the albums is attached without uploading it again', { timeout: 90_000 }, async () => {
    const { page, context } = await frontPage(relative, { width: 390, height: 844 })
    // A photo added on the album page, through the same route.
    const added = await page.request.post(`${new URL(page.url()).origin}/api/residents/${home.residentId}/media`, {
      multipart: { file: { name: 'Landscape_1.jpg', mimeType: 'image/jpeg', buffer: readFileSync(media('orientation/Landscape_1.jpg')) } } })
    expect(added.status()).toBe(201)
    const [before] = await sql<{ count: string }>(`select count(*) from public.media_items where resident_id = $1`,
      [home.residentId])
    await page.getByTestId('guestbook-pick-album').click()
    const dialog = page.getByRole('dialog')
    await dialog.getByTestId('guestbook-picker-items').waitFor()
    const photo = dialog.locator('button[data-kind="image"]').first()
    await photo.click()
    expect(await photo.getAttribute('aria-pressed')).toBe('true')
    // A video cannot join a photo on one post.
    expect(await dialog.locator('button[data-kind="video"]').first().isDisabled()).toBe(true)
    await screenshot(page, 'guestbook-album-picker-phone')
    await expectAccessible(page, 'album picker')
    await dialog.getByTestId('guestbook-picker-attach').click()
    await expect.poll(() => page.getByTestId('guestbook-attachments').locator('li').count()).toBe(1)
    await page.getByTestId('guestbook-text').fill('Dette bildet fra albumet er så fint')
    await page.getByTestId('guestbook-submit').click()
    await page.getByTestId('guestbook-post').filter({ hasText: 'Dette bildet fra albumet' })
      .getByRole('img', { name: 'Bilde 1' }).waitFor()
    const [after] = await sql<{ count: string }>(`select count(*) from public.media_items where resident_id = $1`,
      [home.residentId])
    expect(after!.count).toBe(before!.count)
    expect(await attachedTo('Dette bildet fra albumet er så fint')).toHaveLength(1)
    await context.close()
  })

  test('keeps to ten photos, or one video on its own', { timeout: 60_000 }, async () => {
    const { page, context } = await frontPage(relative)
    const eleven = Array.from({ length: 11 }, (_, i) => media(`orientation/Landscape_${i % 9}.jpg`))
    await page.getByTestId('guestbook-files').setInputFiles(eleven)
    await expect.poll(() => page.getByTestId('guestbook-composer-problem').innerText())
      .toBe('Du kan legge ved opptil 10 bilder, eller én kort video.')
    expect(await page.getByTestId('guestbook-attachments').count()).toBe(0)
    await page.getByTestId('guestbook-files').setInputFiles(media('orientation/Landscape_1.jpg'))
    await page.getByTestId('guestbook-files').setInputFiles(media('video/iphone6-portrait-gps.mov'))
    await expect.poll(() => page.getByTestId('guestbook-composer-problem').innerText())
      .toBe('Du kan legge ved opptil 10 bilder, eller én kort video.')
    expect(await page.getByTestId('guestbook-attachments').locator('li').count()).toBe(1)
    await context.close()
  })
})

describe('a lost network', () => {
  test('says in words that the network is down and keeps the text', { timeout: 60_000 }, async () => {
    const { page, context } = await frontPage(relative)
    const text = 'Hei mamma! Vi kommer på søndag med kake 🎂'
    const saysNetworkIsDown = 'Nettverket er nede, så innlegget ble ikke delt. Teksten din er tatt vare på her. '
      + 'Trykk «Del» igjen når du er på nett.'
    await page.getByTestId('guestbook-text').fill(text)

    // The device thinks it is online, but the requests die on the way (a dead Wi-Fi).
    await page.route('**/rest/v1/guestbook_posts**', route => route.abort('internetdisconnected'))
    await page.getByTestId('guestbook-submit').click()
    await expect.poll(() => page.getByTestId('guestbook-composer-problem').innerText()).toBe(saysNetworkIsDown)
    expect(await page.getByTestId('guestbook-text').inputValue()).toBe(text)
    await page.unroute('**/rest/v1/guestbook_posts**')

    // The device knows it is offline.
    await context.setOffline(true)
    await page.getByTestId('guestbook-submit').click()
    await expect.poll(() => page.getByTestId('guestbook-composer-problem').innerText()).toBe(saysNetworkIsDown)
    expect(await page.getByTestId('guestbook-text').inputValue()).toBe(text)

    await context.setOffline(false)
    await page.getByTestId('guestbook-submit').click()
    await page.getByTestId('guestbook-post').filter({ hasText: 'Vi kommer på søndag med kake' }).waitFor()
    await expect.poll(() => page.getByTestId('guestbook-text').inputValue()).toBe('')
    expect(await page.getByTestId('guestbook-composer-problem').count()).toBe(0)
    await context.close()
  })
})

describe('how a post reads', () => {
  test('role in words, friendly time, long Norwegian text, emoji and links, safely', { timeout: 60_000 }, async () => {
    const long = `${'Bestemor fortalte om sommerferiene på Ærøy, om å plukke blåbær og bære vann fra brønnen. '.repeat(12)}`
      + 'Donaudampfschiffahrtsgesellschaftskapteinsmøtereferatsarkivskapnøkkel 👵🏼❤️🇳🇴'
    const tricky = 'Se bildene på https://eksempel.no/album?id=7&side=2. Ikke <script>window.__hacked = 1</script> '
      + 'eller javascript:alert(1) eller <img src=x onerror="window.__hacked = 2">'
    await sql(`insert into public.guestbook_posts (resident_id, kind, body, created_by, created_at) values
      ($1, 'greeting', $2, $3, ((now() at time zone 'Europe/Oslo')::date - 1 + time '14:05') at time zone 'Europe/Oslo'),
      ($1, 'glimpse', $4, $5, now() - interval '3 minutes')`, [home.residentId, long, relative.id, tricky, staff.id])

    const { page, context } = await frontPage(relative, { width: 390, height: 844 })
    const yesterday = page.getByTestId('guestbook-post').filter({ hasText: 'sommerferiene på Ærøy' })
    await expect.poll(() => yesterday.locator('header').innerText())
      .toMatch(/Per Sønn\s*\(sønn\)\s*· Hilsen ·\s*i går kl\. 14\.05/)
    expect(await yesterday.getByTestId('guestbook-body').innerText()).toContain('👵🏼❤️🇳🇴')

    const glimpse = page.getByTestId('guestbook-post').filter({ hasText: 'Se bildene på' })
    expect(await glimpse.locator('header').innerText())
      .toMatch(/Stine Pleier\s*\(ansatt, Medier avdeling\)\s*· Hverdagsglimt ·\s*for [34] minutter siden/)
    const links = glimpse.getByTestId('guestbook-body').locator('a')
    expect(await links.count()).toBe(1)
    expect(await links.first().getAttribute('href')).toBe('https://eksempel.no/album?id=7&side=2')
    expect(await links.first().getAttribute('rel')).toBe('noopener noreferrer nofollow')
    expect(await glimpse.getByTestId('guestbook-body').innerText()).toContain('<script>window.__hacked = 1</script>')
    expect(await glimpse.getByTestId('guestbook-body').locator('script, img').count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { __hacked?: number }).__hacked)).toBeUndefined()

    // Nothing, not even the longest word, widens a phone's page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await screenshot(page, 'guestbook-reading-phone')
    await context.close()
  })
})
