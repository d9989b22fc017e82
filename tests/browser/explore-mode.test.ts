// Explore mode: an installable app in which a person looks through the whole profile and
// writes in the guestbook, with no edit or delete control on any page whatever their role.
// Leaving it needs the password; viewers are always in it; the database still refuses a
// viewer's write from that very session.
import { createClient } from '@supabase/supabase-js'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import WebSocket from 'ws'
import {
  acceptTerms, addGuestbookPost, addToResident, addToUnit, createCareHome, createPerson, ensureLegalDocuments,
  fixturePassword, sql, type CareHome, type Person,
} from './fixtures'
import { app, expectAccessible, launchBrowser, openPage, screenshot, signIn, stack, visit, waitForHome } from './support'
import { fillProfile } from '../conversation/profile'

const tablet = { width: 820, height: 1180 }
let browser: Browser
let home: CareHome
let superuser: Person, daughter: Person, grandchild: Person
let storyId: string

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Utforsk')
  ;[superuser, daughter, grandchild] = await Promise.all([createPerson('Sara Superbruker'), createPerson('Mia Datter'), createPerson('Vilde Barnebarn')])
  await Promise.all([superuser, daughter, grandchild].map(acceptTerms))
  await addToUnit(superuser, home.unitId, 'superuser')
  await addToResident(daughter, home.residentId, 'primary_contact')
  await addToResident(grandchild, home.residentId, 'viewer')
  await fillProfile(home.residentId, superuser)
  await addGuestbookPost(superuser, home.residentId, 'Ingrid sang i dag.', 'glimpse')
  await addGuestbookPost(daughter, home.residentId, 'Hei mamma!')
  ;[{ id: storyId }] = await sql<{ id: string }>(`select id from public.stories where resident_id = $1`, [home.residentId]) as [{ id: string }]
})
afterAll(() => browser?.close())

async function signedIn(person: Person) {
  const opened = await openPage(browser, { viewport: tablet })
  await signIn(opened.page, person.email, fixturePassword)
  await waitForHome(opened.page)
  return opened
}

/** Every page a person can explore. */
function explorePages() {
  const r = `/residents/${home.residentId}`
  return [
    `/units/${home.unitId}`, `/units/${home.unitId}/guestbook`, `/units/${home.unitId}/briefing`,
    r, `${r}/who-i-am`, `${r}/people`, `${r}/life`, `${r}/interests`, `${r}/everyday`, `${r}/stories`,
    `${r}/stories/${storyId}`, `${r}/albums`, `${r}/book`, `${r}/conversation`,
  ]
}

// What an edit or delete control says or is named, in Bokmål, and file pickers (uploads).
const editWords = /^(legg til|slett|fjern|endre|rediger|skjul|vis igjen|vis på profilen|inviter|flytt|lag albumet|nytt album|skriv en ny fortelling|last opp|svar$|lagre svaret|sett et nytt mål|velg innhold til den rolige|ny beboer|opprett|lag en profil)/i

/** The visible edit controls on the page, by name. */
async function editControls(page: Page) {
  // Data arrives after hydration; let the page settle first.
  await page.waitForLoadState('networkidle').catch(() => {})
  await page.locator('[role="status"]').filter({ hasText: 'Laster' }).waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {})
  const names = await page.evaluate(() => {
    const visible = (el: Element) => {
      const box = (el as HTMLElement).getBoundingClientRect()
      return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden'
    }
    const controls = [...document.querySelectorAll('button, a, [role="button"], [role="menuitem"], input[type="file"], label')]
    return [
      ...controls.filter(el => visible(el) || (el as HTMLInputElement).type === 'file').map(el => el instanceof HTMLInputElement && el.type === 'file'
        ? 'input[type=file]'
        : (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ')),
    ]
  })
  return names.filter(name => name === 'input[type=file]' || editWords.test(name))
}

/** The access token of the browser's own session, read from its auth cookie. */
async function sessionToken(context: BrowserContext) {
  const cookies = (await context.cookies()).filter(c => /^sb-.+-auth-token(\.\d+)?$/.test(c.name))
    .sort((a, b) => a.name.localeCompare(b.name))
  const raw = decodeURIComponent(cookies.map(c => c.value).join(''))
  const json = raw.startsWith('base64-') ? Buffer.from(raw.slice(7), 'base64url').toString('utf8') : raw
  return (JSON.parse(json) as { access_token: string }).access_token
}

function clientWithToken(token: string) {
  return createClient(stack.apiUrl, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { Authorization: `Bearer ${token}` } },
    realtime: { transport: WebSocket as never },
  })
}

describe('explore mode', { timeout: 300_000 }, () => {
  test('a superuser sees edit controls in full mode and none on any page in explore mode', async () => {
    const { page, context } = await signedIn(superuser)
    const full: Record<string, string[]> = {}
    for (const path of explorePages()) {
      await visit(page, path)
      full[path] = await editControls(page)
    }
    // The detector finds the controls that are there: it can fail.
    const withControls = Object.entries(full).filter(([, names]) => names.length).map(([path]) => path)
    expect(withControls.length).toBeGreaterThanOrEqual(6)

    await visit(page, `/residents/${home.residentId}`)
    await page.getByTestId('explore-enter').click()
    await page.getByTestId('explore-active').waitFor()
    for (const path of explorePages()) {
      await visit(page, path)
      await page.getByTestId('explore-active').waitFor()
      expect(await editControls(page), path).toEqual([])
    }
    // Writing in the guestbook is still open.
    await visit(page, `/residents/${home.residentId}`)
    await page.getByTestId('guestbook-composer').waitFor()
    await expectAccessible(page, 'front page in explore mode')
    await screenshot(page, 'explore-front-tablet')
    await context.close()
  })

  test('pages made for changing things lead to leaving explore mode, which needs the password', async () => {
    const { page, context } = await signedIn(superuser)
    await visit(page, '/explore')
    await page.getByTestId('explore-active').waitFor()
    expect(new URL(page.url()).pathname).toBe(`/units/${home.unitId}`)
    for (const path of ['/account', `/residents/${home.residentId}/invitations`, `/units/${home.unitId}/invitations`,
      `/residents/${home.residentId}/stories/new`, `/residents/${home.residentId}/conversation/calm-set`]) {
      await visit(page, path)
      await page.getByTestId('explore-blocked').waitFor()
      expect(new URL(page.url()).pathname, path).toBe('/explore/leave')
    }
    await expectAccessible(page, 'leave explore mode')
    await screenshot(page, 'explore-leave-tablet')
    await page.getByTestId('explore-password').fill('feil passord')
    await page.getByTestId('explore-leave-submit').click()
    expect(await page.getByTestId('explore-leave-problem').innerText()).toBe('Passordet stemmer ikke. Prøv igjen.')
    await page.getByTestId('explore-password').fill(fixturePassword)
    await page.getByTestId('explore-leave-submit').click()
    // Back to full mode, on the page that was asked for last.
    await page.waitForURL(url => url.pathname === `/residents/${home.residentId}/conversation/calm-set`)
    await page.getByTestId('explore-enter').waitFor()
    expect(await page.getByTestId('explore-active').count()).toBe(0)
    await context.close()
  })

  test('a viewer is always in explore mode and cannot leave it; the database refuses their write from that session', async () => {
    const { page, context } = await signedIn(grandchild)
    await visit(page, `/residents/${home.residentId}`)
    await page.getByTestId('explore-active').waitFor()
    expect(await page.getByTestId('explore-leave-link').count()).toBe(0)
    expect(await page.getByTestId('explore-enter').count()).toBe(0)
    await page.getByTestId('guestbook-composer').waitFor()
    for (const path of explorePages().filter(p => !p.startsWith('/units'))) {
      await visit(page, path)
      expect(await editControls(page), path).toEqual([])
    }
    await visit(page, '/explore/leave')
    await page.getByTestId('explore-forced').waitFor()
    expect(await page.getByTestId('explore-password').count()).toBe(0)

    const client = clientWithToken(await sessionToken(context))
    const { data: me } = await client.auth.getUser()
    expect(me.user?.id).toBe(grandchild.id)
    const insert = await client.from('life_events').insert({ resident_id: home.residentId, title: 'Ikke lov', created_by: grandchild.id })
    expect(insert.error).not.toBeNull()
    const update = await client.from('relations').update({ name: 'Endret' }).eq('resident_id', home.residentId).select('id')
    expect(update.data ?? []).toEqual([])
    const [{ count }] = await sql<{ count: string }>(`select count(*) from public.relations where name = 'Endret'`) as [{ count: string }]
    expect(Number(count)).toBe(0)
    // A greeting is theirs to write.
    const greeting = await client.from('guestbook_posts').insert({ resident_id: home.residentId, kind: 'greeting', body: 'Hei oldemor!' })
    expect(greeting.error).toBeNull()
    await context.close()
  })

  test('the app installs from the home screen: manifest, icons and a service worker of its own', async () => {
    const manifest = await (await fetch(`${app.url}/manifest.webmanifest`)).json() as { start_url: string, display: string, icons: { src: string, sizes: string }[] }
    expect(manifest.start_url).toBe('/explore')
    expect(manifest.display).toBe('standalone')
    for (const icon of manifest.icons) {
      const response = await fetch(`${app.url}${icon.src}`)
      expect(response.status, icon.src).toBe(200)
    }
    expect(manifest.icons.map(i => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']))
    const { page, context, foreignRequests } = await signedIn(daughter)
    await visit(page, `/residents/${home.residentId}`)
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/manifest.webmanifest')
    const scope = await page.evaluate(() => navigator.serviceWorker.ready.then(r => new URL(r.scope).pathname))
    expect(scope).toBe('/')
    expect(foreignRequests).toEqual([])
    await context.close()
  })
})
