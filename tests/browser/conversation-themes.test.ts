// Conversation mode on a ward tablet (820×1180) and a phone (390×844): every theme walks
// through its items with the arrows and by swiping; starters come only from content that
// exists; sensitive items only when staff choose, after a quiet note; read aloud says
// when there is no Norwegian voice; what sparked joy is saved and comes first next time,
// and the family sees it; afterwards a suggested glimpse goes through the guestbook composer.
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addToResident, addToUnit, type CareHome, createCareHome, createPerson, ensureLegalDocuments, type Person, signedInPage, sql,
} from './fixtures'
import { expectAccessible, launchBrowser, screenshot, visit } from './support'
import { fillProfile, type Profile } from '../conversation/profile'

const tablet = { width: 820, height: 1180 }
const phone = { width: 390, height: 844 }

let browser: Browser
let home: CareHome
let empty: CareHome
let profile: Profile
let staff: Person, daughter: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Samtale')
  empty = await createCareHome('Samtaletom')
  ;[staff, daughter] = await Promise.all([createPerson('Siri Pleier'), createPerson('Dina Datter')])
  await Promise.all([staff, daughter].map(acceptTerms))
  await addToUnit(staff, home.unitId, 'staff')
  await addToUnit(staff, empty.unitId, 'staff')
  await addToResident(daughter, home.residentId, 'primary_contact')
  profile = await fillProfile(home.residentId, daughter)
})
afterAll(() => browser?.close())

const signedIn = (person: Person, viewport = tablet) => signedInPage(browser, person, { viewport })

/** The text of an element once it is visible. */
async function shown(locator: Locator) {
  await locator.first().waitFor()
  return locator.first().innerText()
}

const position = (page: Page) => page.getByTestId('conversation-position').innerText()
async function slideCount(page: Page) {
  const text = await position(page)
  return Number(text.split(' av ')[1])
}

/** Drags across the stage like a finger: left for the next item, right for the previous. */
async function swipe(page: Page, direction: 'left' | 'right') {
  const box = (await page.getByTestId('conversation-stage').boundingBox())!
  const y = box.y + box.height * 0.8
  const [from, to] = direction === 'left' ? [box.x + box.width * 0.8, box.x + box.width * 0.2] : [box.x + box.width * 0.2, box.x + box.width * 0.8]
  await page.mouse.move(from, y)
  await page.mouse.down()
  await page.mouse.move(to, y, { steps: 8 })
  await page.mouse.up()
}

/** Walks to the end with the arrow, then back one by swiping right and forward again by swiping left. */
async function walkTheme(page: Page) {
  await page.getByTestId('conversation-walk').waitFor()
  const count = await slideCount(page)
  const titles: string[] = []
  for (let at = 1; at <= count; at++) {
    expect(await position(page)).toBe(`${at} av ${count}`)
    const slide = page.getByTestId('conversation-slide').or(page.getByTestId('conversation-care-note'))
    titles.push((await slide.innerText()).split('\n')[0]!)
    if (at < count) await page.getByTestId('conversation-next').click()
  }
  await page.getByTestId('conversation-finish').waitFor()
  if (count > 1) {
    await swipe(page, 'right')
    expect(await position(page)).toBe(`${count - 1} av ${count}`)
    await swipe(page, 'left')
    expect(await position(page)).toBe(`${count} av ${count}`)
  }
  return { count, titles }
}

describe('themes on a tablet', { timeout: 180_000 }, () => {
  test('the start page offers every theme the profile has content for, each with a starter from it', async () => {
    const { page, context, foreignRequests } = await signedIn(staff)
    // From the unit page, straight to a resident's conversation mode.
    await visit(page, `/units/${home.unitId}`)
    await page.getByTestId('unit-conversation-links').locator('summary').click()
    expect(await page.getByRole('link', { name: `Samtale med ${home.residentName}` }).getAttribute('href'))
      .toBe(`/residents/${home.residentId}/conversation`)
    await visit(page, `/residents/${home.residentId}`)
    await page.getByTestId('resident-conversation').click()
    await page.getByTestId('conversation-start').waitFor()
    const themes = await page.locator('[data-testid^="conversation-theme-"]').evaluateAll(links =>
      links.map(link => link.getAttribute('data-testid')).filter(id => id !== 'conversation-theme-starter'))
    expect(themes).toEqual(['conversation-theme-people', 'conversation-theme-grewUp', 'conversation-theme-work',
      'conversation-theme-music', 'conversation-theme-period:childhood', 'conversation-theme-period:adult_life',
      `conversation-theme-album:${profile.albumId}`, 'conversation-theme-mix'])
    const starters = await page.getByTestId('conversation-theme-starter').allInnerTexts()
    expect(starters).toContain('Du vokste opp i Lofoten – hvordan var vinteren der?')
    expect(starters).toContain('Her er Kari (datter). Hva likte dere å gjøre sammen?')
    expect(starters).toContain('Husker du «Alf Prøysen»? Skal vi høre eller synge den sammen?')
    expect(starters.join(' ')).not.toContain('Olav')
    await expectAccessible(page, 'conversation start (tablet)')
    await screenshot(page, 'conversation-start-tablet')
    expect(foreignRequests).toEqual([])
    await context.close()
  })

  test('a profile with nothing in it offers no theme and no starter', async () => {
    const { page, context } = await signedIn(staff)
    await visit(page, `/residents/${empty.residentId}/conversation`)
    await page.getByTestId('conversation-no-themes').waitFor()
    expect(await page.getByTestId('conversation-theme-starter').count()).toBe(0)
    await context.close()
  })

  test('each theme walks through its items with arrows and swipes', async () => {
    const { page, context } = await signedIn(staff)
    const expected: Record<string, { count: number, first: string }> = {
      'people': { count: 2, first: 'Kari' },
      'grewUp': { count: 5, first: 'Der jeg vokste opp' },
      'work': { count: 1, first: 'Begynte som lærer' },
      'music': { count: 1, first: 'En kjær melodi' },
      'period:childhood': { count: 4, first: 'Første skoledag' },
      'period:adult_life': { count: 1, first: 'Begynte som lærer' },
      [`album:${profile.albumId}`]: { count: 2, first: 'Bading i fjæra' },
      'mix': { count: 9, first: 'Kari' },
    }
    for (const [theme, { count, first }] of Object.entries(expected)) {
      await visit(page, `/residents/${home.residentId}/conversation`)
      await page.getByTestId(`conversation-theme-${theme}`).click()
      const walked = await walkTheme(page)
      expect(walked.count, theme).toBe(count)
      expect(walked.titles[0], theme).toBe(first)
      if (theme === 'music') {
        expect(await page.getByTestId('conversation-music-link').getAttribute('href')).toBe('https://example.org/proysen')
        await page.getByText('Vårherres klinkekule').waitFor()
      }
      if (theme.startsWith('album:')) {
        await expectAccessible(page, 'conversation session (tablet)')
        await screenshot(page, 'conversation-session-tablet')
      }
    }
    // The keyboard's arrows move too.
    await visit(page, `/residents/${home.residentId}/conversation/session?theme=people`)
    await page.getByTestId('conversation-walk').waitFor()
    await page.keyboard.press('ArrowRight')
    expect(await position(page)).toBe('2 av 2')
    await page.keyboard.press('ArrowLeft')
    expect(await position(page)).toBe('1 av 2')
    await context.close()
  })

  test('a session fills the screen when a theme is tapped, can leave and fill it again, and gives it back when left', async () => {
    const { page, context } = await signedIn(staff)
    const filling = () => page.evaluate(() => document.fullscreenElement !== null)
    const toggle = page.getByTestId('conversation-fullscreen')
    await visit(page, `/residents/${home.residentId}/conversation`)
    await page.getByTestId('conversation-theme-people').click()
    await page.getByTestId('conversation-walk').waitFor()
    await expect.poll(filling).toBe(true)
    expect(await toggle.getAttribute('data-state')).toBe('on')
    expect(await toggle.innerText()).toBe('Vis vanlig')
    await toggle.click()
    await expect.poll(filling).toBe(false)
    expect(await toggle.innerText()).toBe('Fyll skjermen')
    await toggle.click()
    await expect.poll(filling).toBe(true)
    // Going back to the start page (inside the app) gives the screen back.
    await page.goBack()
    await page.getByTestId('conversation-start').waitFor()
    await expect.poll(filling).toBe(false)
    // Opened by an address, with no tap, the session asks on arrival, which a browser may refuse
    // (most do without a recent tap; headless Chromium sometimes grants it): either way the
    // button says what the screen really does, and offers it when refused.
    await visit(page, `/residents/${home.residentId}/conversation/session?theme=people`)
    await page.getByTestId('conversation-walk').waitFor()
    await page.waitForTimeout(500)
    const filled = await filling()
    expect(await toggle.getAttribute('data-state')).toBe(filled ? 'on' : 'off')
    expect(await toggle.innerText()).toBe(filled ? 'Vis vanlig' : 'Fyll skjermen')
    await context.close()
  })

  test('nothing moves by itself unless chosen', async () => {
    const { page, context } = await signedIn(staff)
    await visit(page, `/residents/${home.residentId}/conversation/session?theme=people`)
    await page.getByTestId('conversation-walk').waitFor()
    await page.waitForTimeout(6_000)
    expect(await position(page)).toBe('1 av 2')
    await visit(page, `/residents/${home.residentId}/conversation/session?theme=people&auto=5`)
    await page.getByTestId('conversation-walk').waitFor()
    await page.getByText('2 av 2').waitFor({ timeout: 12_000 })
    await context.close()
  })

  test('sensitive items stay out unless staff include them, and then a quiet note comes first', async () => {
    const { page, context } = await signedIn(staff)
    await visit(page, `/residents/${home.residentId}/conversation`)
    await page.getByTestId('conversation-include-sensitive').click()
    await page.getByTestId('conversation-theme-people').click()
    await page.getByTestId('conversation-walk').waitFor()
    expect(await slideCount(page)).toBe(4)
    await page.getByTestId('conversation-next').click()
    await page.getByTestId('conversation-next').click()
    await page.getByTestId('conversation-care-note').waitFor()
    await page.getByTestId('conversation-next').click()
    expect(await shown(page.getByTestId('conversation-title'))).toBe('Olav')
    await context.close()
    // The family is never offered the choice.
    const family = await signedIn(daughter)
    await visit(family.page, `/residents/${home.residentId}/conversation`)
    await family.page.getByTestId('conversation-theme-people').waitFor()
    expect(await family.page.getByTestId('conversation-include-sensitive').count()).toBe(0)
    await visit(family.page, `/residents/${home.residentId}/conversation/session?theme=people&sensitive=1`)
    await family.page.getByTestId('conversation-walk').waitFor()
    expect(await slideCount(family.page)).toBe(2)
    await family.context.close()
  })

  test('read aloud says so when the device has no Norwegian voice, and reads in Norwegian when it has one', async () => {
    const { page, context } = await signedIn(staff)
    await visit(page, `/residents/${home.residentId}/conversation/session?theme=work`)
    await page.getByTestId('conversation-walk').waitFor()
    // Headless Chromium here has no voices at all.
    await page.getByTestId('conversation-read-aloud').click()
    await page.getByTestId('conversation-no-voice').waitFor()
    await context.close()

    // A device with a Norwegian voice: the browser's speech API stands in with one, and
    // records what the page asked it to say.
    const second = await signedIn(staff)
    await second.page.addInitScript(() => {
      const spoken: { text: string, lang: string }[] = []
      const voices = [{ lang: 'en-GB', name: 'English', localService: true }, { lang: 'nb-NO', name: 'Norsk', localService: true }]
      // The real utterance only takes a real voice, so the stand-in brings its own.
      class Utterance {
        text: string
        lang = ''
        voice: unknown = null
        rate = 1
        onend: (() => void) | null = null
        onerror: (() => void) | null = null
        constructor(text: string) {
          this.text = text
        }
      }
      Object.assign(window, { spoken, SpeechSynthesisUtterance: Utterance })
      Object.defineProperty(window, 'speechSynthesis', { value: {
        getVoices: () => voices, speak: (u: { text: string, lang: string }) => spoken.push({ text: u.text, lang: u.lang }),
        cancel: () => {}, addEventListener: () => {}, removeEventListener: () => {},
      } })
    })
    await visit(second.page, `/residents/${home.residentId}/conversation/session?theme=work`)
    await second.page.getByTestId('conversation-walk').waitFor()
    await second.page.getByTestId('conversation-read-aloud').click()
    const spoken = await second.page.evaluate(() => (window as unknown as { spoken: { text: string, lang: string }[] }).spoken)
    expect(spoken).toHaveLength(1)
    expect(spoken[0]!.lang).toBe('nb-NO')
    expect(spoken[0]!.text).toContain('Begynte som lærer')
    expect(await second.page.getByTestId('conversation-no-voice').count()).toBe(0)
    await second.context.close()
  })

  test('what sparked joy is saved per item, comes first next time, and the family sees it', async () => {
    const { page, context } = await signedIn(staff)
    await visit(page, `/residents/${home.residentId}/conversation/session?theme=people`)
    await page.getByTestId('conversation-walk').waitFor()
    expect(await shown(page.getByTestId('conversation-title'))).toBe('Kari')
    await page.getByTestId('conversation-end').click()
    await page.getByTestId('conversation-joy').waitFor()
    const items = page.getByTestId('conversation-joy-item')
    expect(await items.count()).toBe(2)
    await items.filter({ hasText: 'Kari' }).getByTestId('joy-not_now').click()
    await items.filter({ hasText: 'Per' }).getByTestId('joy-good').click()
    await expectAccessible(page, 'conversation joy (tablet)')
    await screenshot(page, 'conversation-joy-tablet')
    await page.getByTestId('conversation-joy-save').click()
    await page.getByTestId('conversation-after').waitFor()
    const rows = await sql<{ item_id: string, reaction: string }>(`select item_id, reaction from public.conversation_reactions
      where resident_id = $1 order by reaction`, [home.residentId])
    expect(rows).toEqual([
      { item_id: profile.relationIds.per, reaction: 'good' },
      { item_id: profile.relationIds.kari, reaction: 'not_now' },
    ])
    // Next time Per comes first.
    await visit(page, `/residents/${home.residentId}/conversation/session?theme=people`)
    await page.getByTestId('conversation-walk').waitFor()
    expect(await shown(page.getByTestId('conversation-title'))).toBe('Per')
    await context.close()

    const family = await signedIn(daughter)
    await visit(family.page, `/residents/${home.residentId}/conversation`)
    expect(await shown(family.page.getByTestId('conversation-joy-summary-item'))).toMatch(/Per/)
    await family.context.close()
  })

  test('afterwards, one tap opens the guestbook composer with a suggested glimpse to review before sending', async () => {
    const { page, context } = await signedIn(staff)
    await visit(page, `/residents/${home.residentId}/conversation/session?theme=music`)
    await page.getByTestId('conversation-finish').click()
    await page.getByTestId('conversation-joy-skip').click()
    await page.getByTestId('conversation-after-write').click()
    const text = page.getByTestId('guestbook-text')
    expect(await text.inputValue()).toBe('I dag hadde vi en fin samtalestund med Inga om «musikk».')
    await text.fill('I dag sang vi Alf Prøysen sammen, og Inga kunne alle versene.')
    await expectAccessible(page, 'conversation afterwards (tablet)')
    await page.getByTestId('guestbook-submit').click()
    await page.getByTestId('conversation-after-posted').waitFor()
    const [post] = await sql<{ kind: string, body: string }>(`select kind, body from public.guestbook_posts
      where resident_id = $1 and created_by = $2`, [home.residentId, staff.id])
    expect(post).toEqual({ kind: 'glimpse', body: 'I dag sang vi Alf Prøysen sammen, og Inga kunne alle versene.' })
    await context.close()
  })
})

describe('music and favourites', { timeout: 120_000 }, () => {
  test('the family adds a song with a link in interests (a wrong link is refused in words) and it shows large in the music theme', async () => {
    const { page, context } = await signedIn(daughter)
    await visit(page, `/residents/${home.residentId}/interests`)
    await page.getByTestId('life-story-add').click()
    const form = page.getByTestId('life-story-form-interests')
    await form.getByTestId('field-category').selectOption('music')
    await form.getByTestId('field-title').fill('Nordlandsbåten')
    await form.getByTestId('field-description').fill('Synges helst i kor, gjerne med Per.')
    await form.getByTestId('field-music_link').fill('javascript:alert(1)')
    await form.getByTestId('life-story-save').click()
    // The life-story form shows its own words for a field the schema refuses.
    await form.getByText('Sjekk dette feltet.').waitFor()
    const [{ count }] = await sql<{ count: string }>(`select count(*) from public.interests where title = 'Nordlandsbåten'`) as [{ count: string }]
    expect(Number(count)).toBe(0)
    await form.getByTestId('field-music_link').fill('https://example.org/nordlandsbaaten')
    await form.getByTestId('life-story-save').click()
    await form.waitFor({ state: 'detached' })
    await visit(page, `/residents/${home.residentId}/conversation/session?theme=music`)
    await page.getByTestId('conversation-walk').waitFor()
    await page.getByTestId('conversation-next').click()
    expect(await shown(page.getByTestId('conversation-title'))).toBe('Nordlandsbåten')
    expect(await page.getByTestId('conversation-music-link').getAttribute('href')).toBe('https://example.org/nordlandsbaaten')
    expect(await page.getByText('Synges helst i kor, gjerne med Per.').isVisible()).toBe(true)
    await context.close()
  })
})

describe('on a phone', { timeout: 120_000 }, () => {
  test('the start page and a session fit a phone', async () => {
    const { page, context } = await signedIn(staff, phone)
    await visit(page, `/residents/${home.residentId}/conversation`)
    await page.getByTestId('conversation-theme-mix').waitFor()
    await screenshot(page, 'conversation-start-phone')
    await expectAccessible(page, 'conversation start (phone)')
    await page.getByTestId(`conversation-theme-album:${profile.albumId}`).click()
    await page.getByTestId('conversation-walk').waitFor()
    await page.getByTestId('conversation-photo').waitFor()
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
    expect(wide).toBe(false)
    await screenshot(page, 'conversation-session-phone')
    await expectAccessible(page, 'conversation session (phone)')
    await context.close()
  })
})
