// A bad connection on the ward: a session's photos are fetched before it starts, so
// going offline mid-session keeps every item viewable; the calm set opens in two taps
// and, once opened on a tablet, opens again with no network at all, until signing out.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addGuestbookPost, addToResident, addToUnit, createCareHome, createPerson, ensureLegalDocuments,
  fixturePassword, type CareHome, type Person,
} from './fixtures'
import { app, expectAccessible, launchBrowser, openPage, screenshot, signIn, visit, waitForApp, waitForHome } from './support'
import { fillProfile, type Profile } from '../conversation/profile'

const tablet = { width: 820, height: 1180 }
let browser: Browser
let home: CareHome
let profile: Profile
let staff: Person, daughter: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Nettbrett')
  ;[staff, daughter] = await Promise.all([createPerson('Tora Pleier'), createPerson('Hanne Datter')])
  await Promise.all([staff, daughter].map(acceptTerms))
  await addToUnit(staff, home.unitId, 'staff')
  await addToResident(daughter, home.residentId, 'primary_contact')
  profile = await fillProfile(home.residentId, daughter)
  await addGuestbookPost(daughter, home.residentId, 'God natt, mamma. Vi kommer på søndag med boller.')
})
afterAll(() => browser?.close())

async function signedIn(person: Person) {
  const opened = await openPage(browser, { viewport: tablet })
  await signIn(opened.page, person.email, fixturePassword)
  await waitForHome(opened.page)
  return opened
}

/** Whether the photo on screen has really been decoded (not a broken image). */
async function photoShows(page: Page) {
  const photo = page.getByTestId('conversation-photo')
  await photo.waitFor()
  return photo.evaluate(img => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)
}

describe('a session on a bad connection', { timeout: 120_000 }, () => {
  test('going offline mid-session keeps the preloaded photos and items viewable', async () => {
    const { page, context } = await signedIn(staff)
    await visit(page, `/residents/${home.residentId}/conversation/session?theme=period:childhood`)
    await page.getByTestId('conversation-walk').waitFor()
    expect(await page.getByTestId('conversation-position').innerText()).toBe('1 av 4')
    await context.setOffline(true)
    const seen: string[] = []
    for (let at = 1; at <= 4; at++) {
      const slide = page.getByTestId('conversation-slide')
      seen.push((await slide.getAttribute('data-item-key'))!)
      if (await page.getByTestId('conversation-photo').count()) expect(await photoShows(page)).toBe(true)
      expect(await page.getByTestId('conversation-photo-missing').count()).toBe(0)
      if (at < 4) await page.getByTestId('conversation-next').click()
    }
    expect(seen.filter(key => key.startsWith('media_item:'))).toEqual(profile.photoIds.map(id => `media_item:${id}`))
    // And back again, still offline.
    await page.getByTestId('conversation-previous').click()
    await page.getByTestId('conversation-previous').click()
    expect(await photoShows(page)).toBe(true)
    await screenshot(page, 'conversation-offline-tablet')
    await context.close()
  })
})

describe('photos that arrive together', { timeout: 120_000 }, () => {
  test('every preloaded photo shows, not only the last one to arrive', async () => {
    const { page, context } = await signedIn(staff)
    // Hold both photo downloads and answer them at the same moment: the preload's workers
    // then finish together, which once left only one photo in the map (a lost update).
    const held: (() => Promise<void>)[] = []
    let release!: () => void
    const bothHeld = new Promise<void>(resolve => (release = resolve))
    await page.route('**/storage/v1/object/sign/media/**', async (route) => {
      if (route.request().method() !== 'GET') return route.fallback()
      const response = await route.fetch()
      held.push(() => route.fulfill({ response }))
      if (held.length === profile.photoIds.length) release()
      await bothHeld
    })
    const answered = bothHeld.then(() => Promise.all(held.map(answer => answer())))
    await visit(page, `/residents/${home.residentId}/conversation/session?theme=album:${profile.albumId}`)
    await answered
    await page.getByTestId('conversation-walk').waitFor()
    for (let at = 1; at <= profile.photoIds.length; at++) {
      expect(await page.getByTestId('conversation-photo-missing').count()).toBe(0)
      expect(await photoShows(page)).toBe(true)
      if (at < profile.photoIds.length) await page.getByTestId('conversation-next').click()
    }
    await context.close()
  })
})

describe('the calm set', { timeout: 180_000 }, () => {
  test('staff choose it, it opens in two taps from the front page, and again with no network', async () => {
    const { page, context } = await signedIn(staff)
    // Choose one photo, the song and the greeting.
    await visit(page, `/residents/${home.residentId}/conversation/calm-set`)
    const options = page.getByTestId('calm-set-option')
    await options.first().waitFor()
    for (const label of ['Slåttonna', 'Alf Prøysen', 'God natt, mamma.']) {
      await page.getByRole('checkbox', { name: label }).click()
    }
    await page.getByTestId('calm-set-save').click()
    await page.getByText('Valget er lagret.').waitFor()
    await expectAccessible(page, 'calm set chooser')

    // Two taps from the resident's front page.
    await visit(page, `/residents/${home.residentId}`)
    await page.getByTestId('resident-conversation').click()
    await page.getByTestId('conversation-calm-open').click()
    await page.getByTestId('conversation-calm-photo').first().waitFor()
    expect(await page.getByTestId('conversation-calm-photo').count()).toBe(1)
    expect(await page.getByTestId('conversation-calm-photo').innerText()).toContain('Slåttonna')
    expect(await page.getByTestId('conversation-calm-song').innerText()).toContain('Vårherres klinkekule')
    expect(await page.getByTestId('conversation-calm-greeting').innerText()).toContain('Hanne Datter')
    await expectAccessible(page, 'calm set')
    await screenshot(page, 'conversation-calm-tablet')

    // The service worker takes charge, then the page is opened once more with it in charge.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true))
    await page.reload()
    await waitForApp(page)
    await page.getByTestId('conversation-calm-photo').first().waitFor()
    expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true)

    // No network at all: the page, its scripts and the kept set still open.
    await context.setOffline(true)
    await page.goto(`${app.url}/residents/${home.residentId}/conversation/calm`)
    await waitForApp(page)
    await page.getByTestId('conversation-calm-offline').waitFor()
    const photo = page.getByTestId('conversation-calm-photo').locator('img')
    await photo.waitFor()
    expect(await photo.evaluate(img => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).toBe(true)
    expect(await page.getByTestId('conversation-calm-greeting').innerText()).toContain('God natt, mamma.')
    await screenshot(page, 'conversation-calm-offline-tablet')
    // Any other page says plainly that it needs the network.
    await page.goto(`${app.url}/residents/${home.residentId}/people`)
    expect(await page.locator('h1').innerText()).toBe('Ingen nettforbindelse')

    // Signing out takes the kept copy away with the session.
    await context.setOffline(false)
    await visit(page, `/residents/${home.residentId}`)
    await page.getByTestId('sign-out').click()
    await page.waitForURL(url => url.pathname === '/sign-in')
    const kept = await page.evaluate(async () => ({
      keys: Object.keys(localStorage).filter(key => key.startsWith('minnespor-calm:')),
      cache: await caches.has('minnespor-calm-v1'),
    }))
    expect(kept).toEqual({ keys: [], cache: false })
    await context.close()
  })

  test('a calm set never opened on this device says so offline instead of showing nothing', async () => {
    const { page, context } = await signedIn(daughter)
    await visit(page, `/residents/${home.residentId}/conversation`)
    await page.getByTestId('conversation-calm-open').waitFor()
    await context.setOffline(true)
    await page.getByTestId('conversation-calm-open').click()
    // Either the calm page itself says so, or (when its script was never fetched here)
    // the service worker's offline page does; never a blank or broken page.
    const said = page.getByTestId('conversation-calm-none').or(page.getByRole('heading', { name: 'Ingen nettforbindelse' }))
    await said.waitFor()
    expect(await page.locator('body').innerText()).toMatch(/ikke lagret på dette nettbrettet|åpnet på dette nettbrettet før/)
    await context.close()
  })
})
