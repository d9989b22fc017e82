// Stories: written in the Tiptap editor; HTML pasted from Word, Google Docs and a web page
// keeps its structure and loses everything unsafe; the life-story book prints on A4.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addToResident, createCareHome, createPerson, ensureLegalDocuments, fixturePassword, sql,
  type CareHome, type Person,
} from './fixtures'
import { expectAccessible, launchBrowser, openPage, screenshot, signIn, visit, waitForHome } from './support'

let browser: Browser
let home: CareHome
let daughter: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Fortelling')
  daughter = await createPerson('Frida Fortellerske')
  await acceptTerms(daughter)
  await addToResident(daughter, home.residentId, 'primary_contact')
})
afterAll(() => browser?.close())

const word = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:"";color:red}</style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]--></head><body lang=NO-BOK>
<h1 class=MsoTitle>Sommeren på setra</h1><p class=MsoNormal style="mso-line-height-alt:12pt"><b>Hver sommer</b> dro vi til
<i>Valdres</i>.<o:p></o:p></p><p class=MsoListParagraphCxSpFirst style="mso-list:l0 level1 lfo1"><![if !supportLists]>·<![endif]>Melking</p>
<ul><li class=MsoNormal>Kjerner</li><li>Geiter</li></ul></body></html>`
const googleDocs = `<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1234"><h2 dir="ltr"
style="line-height:1.38;margin-top:18pt"><span style="font-size:16pt;font-family:Arial;color:#000000">Krigsårene</span></h2>
<p dir="ltr"><span style="font-weight:700;font-family:Arial">Far</span><span style="font-family:Arial"> var fisker.</span></p>
<blockquote><p>Det var harde tider.</p></blockquote><ol><li><p>Rasjonering</p></li></ol></b>`
const webPage = `<div class="article" onclick="window.pwned=1"><script>window.pwned = 1</script><style>body{display:none}</style>
<h3 style="color:red" onmouseover="window.pwned=1">Kilder</h3><p>Les mer på <a href="https://www.nb.no/" onclick="window.pwned=1">nb.no</a>,
skriv til <a href="mailto:kari@eksempel.no">Kari</a>, ikke <a href="javascript:window.pwned=1">dette</a> eller
<a href="data:text/html,<script>alert(1)</script>">dette</a>.</p><img src="https://sporing.eksempel.no/piksel.gif" onerror="window.pwned=1">
<iframe src="https://eksempel.no"></iframe><form action="https://eksempel.no"><input value="hei"></form>
<table><tr><td>Celle</td></tr></table><object data="x.swf"></object><svg onload="window.pwned=1"><circle r="5"/></svg></div>`

async function paste(page: Page, html: string) {
  await page.getByTestId('story-editor').click()
  await page.evaluate((content) => {
    const data = new DataTransfer()
    data.setData('text/html', content)
    data.setData('text/plain', 'ren tekst')
    document.querySelector('[data-testid="story-editor"]')!
      .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, html)
}

const unsafe = [/<script/i, /<style/i, /\son\w+=/i, /javascript:/i, /data:text/i, /<iframe/i, /<img/i, /<form/i, /<input/i,
  /<object/i, /<svg/i, /style=/i, /class="?Mso/i, /sporing\.eksempel/i, /mso-/i, /docs-internal/i]

describe('pasting into a story', { timeout: 120_000 }, () => {
  test.each([
    ['Word', word, ['<strong>Hver sommer</strong>', '<em>Valdres</em>', '<li><p>Kjerner</p></li>', 'Sommeren på setra']],
    ['Google Docs', googleDocs, ['<h2>Krigsårene</h2>', '<strong>Far</strong>', '<blockquote><p>Det var harde tider.</p></blockquote>', '<ol>']],
    ['a web page with scripts', webPage, ['<h3>Kilder</h3>', 'href="https://www.nb.no/"', 'href="mailto:kari@eksempel.no"', 'Celle']],
  ])('from %s keeps structure and drops everything unsafe, also once saved', async (label, html, kept) => {
    const { page, context } = await openPage(browser)
    page.setDefaultNavigationTimeout(30_000)
    await signIn(page, daughter.email, fixturePassword)
    await waitForHome(page)
    await visit(page, `/residents/${home.residentId}/stories/new`)
    await page.getByTestId('story-title').fill(`Limt inn fra ${label}`)
    await paste(page, html)
    const editorHtml = await page.getByTestId('story-editor').innerHTML()
    for (const fragment of kept) expect(editorHtml).toContain(fragment)
    for (const pattern of unsafe) expect(editorHtml).not.toMatch(pattern)
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined()

    await page.getByTestId('story-save').click()
    await page.waitForURL(/\/stories\/[0-9a-f-]{36}$/)
    // The saved story opens in the live editor (she may edit it), showing what was pasted.
    await expect.poll(() => page.getByTestId('story-editor').innerHTML()).toContain(kept[0])
    const [row] = await sql<{ body: unknown, body_text: string }>(
      `select body, body_text from public.stories where title = $1`, [`Limt inn fra ${label}`])
    const stored = JSON.stringify(row!.body)
    for (const pattern of unsafe) expect(stored).not.toMatch(pattern)
    expect(row!.body_text.length).toBeGreaterThan(10)
    if (label === 'Google Docs') {
      await expectAccessible(page, 'story')
      await screenshot(page, 'life-story-story')
    }
    await context.close()
  })
})

describe('the life-story book', { timeout: 60_000 }, () => {
  test('prints the whole story on A4', async () => {
    await sql(`insert into public.life_events (resident_id, title, event_year, place, life_period, created_by)
      values ($1, 'Konfirmasjon', 1946, 'Vang kirke', 'youth', $2)`, [home.residentId, daughter.id])
    await sql(`insert into public.relations (resident_id, name, relationship, description, is_living, created_by)
      values ($1, 'Olav', 'mannen min', 'Vi danset hver lørdag.', false, $2)`, [home.residentId, daughter.id])
    const { page, context } = await openPage(browser)
    page.setDefaultNavigationTimeout(30_000)
    await signIn(page, daughter.email, fixturePassword)
    await waitForHome(page)
    await visit(page, `/residents/${home.residentId}`)
    await page.getByTestId('life-story-book-link').click()
    await page.waitForURL(/\/book$/)
    const book = page.getByTestId('life-story-book')
    await expect.poll(() => book.innerText()).toContain('Krigsårene')
    const text = await book.innerText()
    for (const expected of ['Mine folk', 'Olav, mannen min', 'Mitt liv', 'Ungdom', 'Konfirmasjon', 'Limt inn fra Word']) {
      expect(text).toContain(expected)
    }
    await expectAccessible(page, 'book')
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('header').first().isVisible()).toBe(false)
    await screenshot(page, 'life-story-book-print')
    const pdf = await page.pdf({ format: 'A4' })
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF')
    await context.close()
  })
})
