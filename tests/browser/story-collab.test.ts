// Writing one story together in Chromium: two and three people typing in the same paragraph,
// deleting across each other's text, one going offline and back; a viewer following along;
// earlier versions restored. At the end every browser and the database hold the same text,
// with every person's words.
import { randomUUID } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addToResident, addToUnit, createCareHome, createPerson, ensureLegalDocuments, fixturePassword, sql,
  type CareHome, type Person,
} from './fixtures'
import { adminClient, expectAccessible, launchBrowser, openPage, screenshot, signIn, stack, visit, waitForHome } from './support'

let browser: Browser
let home: CareHome
let daughter: Person
let son: Person
let nurse: Person
let grandchild: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Sammen')
  ;[daughter, son, nurse, grandchild] = await Promise.all(
    ['Anne Skrivesen', 'Per Skrivesen', 'Kari Pleier', 'Emma Leser'].map(name => createPerson(name)))
  for (const person of [daughter, son, nurse, grandchild]) await acceptTerms(person)
  await addToResident(daughter, home.residentId, 'primary_contact')
  await addToResident(son, home.residentId, 'relative')
  await addToResident(grandchild, home.residentId, 'viewer')
  await addToUnit(nurse, home.unitId, 'staff')
}, 120_000)
afterAll(() => browser?.close())

const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })

/** A story written by the daughter before collaborative editing (JSON, no Yjs state). */
async function createStory(title: string, text: string) {
  const [row] = await sql<{ id: string }>(`insert into public.stories (resident_id, title, body, body_text, created_by)
    values ($1, $2, $3, $4, $5) returning id`, [home.residentId, title, paragraph(text), text, daughter.id])
  return row!.id
}

/** Opens the story signed in as the person; resolves once its channel is joined. */
async function openStory(person: Person, storyId: string, viewport?: { width: number, height: number }) {
  const opened = await openPage(browser, viewport ? { viewport } : {})
  // Three browsers and a server share two busy cores: give page loads time.
  opened.page.setDefaultNavigationTimeout(30_000)
  await signIn(opened.page, person.email, fixturePassword)
  await waitForHome(opened.page)
  await visit(opened.page, `/residents/${home.residentId}/stories/${storyId}`)
  if (person !== grandchild) {
    await expect.poll(() => opened.page.getByTestId('story-save-state').getAttribute('data-connection'), { timeout: 15_000 })
      .toBe('live')
  }
  return opened
}

/** The page's text as body_text has it: paragraphs separated by one blank line. */
const normalised = (text: string) => text.split(/\n+/).map(line => line.trim()).filter(Boolean).join('\n\n')

/** The editor's text without the others' caret labels (which sit inside the text). */
const editorText = (page: Page) => page.getByTestId('story-editor').evaluate((element) => {
  const copy = element.cloneNode(true) as HTMLElement
  for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove()
  document.body.append(copy)
  const text = copy.innerText
  copy.remove()
  return text
}).then(normalised)

/** Selects characters `from`–`to` of the first paragraph through Tiptap (carets split the DOM text). */
async function selectInFirstParagraph(page: Page, from: number, to: number) {
  await page.getByTestId('story-editor').evaluate((element, [start, end]) => {
    const editor = (element as HTMLElement & { editor: { chain: () => { focus: () => { setTextSelection: (r: object) => { run: () => void } } } } }).editor
    editor.chain().focus().setTextSelection({ from: start! + 1, to: end! + 1 }).run()
  }, [from, to])
}

/** Puts the caret at the end of the story's first paragraph. */
async function caretAtEndOfFirstParagraph(page: Page) {
  await page.locator('[data-testid="story-editor"] p').first().click()
  await page.keyboard.press('End')
}

/** Waits until every page shows the same text and has saved it; returns that text. */
async function settled(pages: Page[]) {
  let text = ''
  await expect.poll(async () => {
    const texts = await Promise.all(pages.map(editorText))
    text = texts[0]!
    return texts.every(t => t === texts[0])
  }, { timeout: 20_000 }).toBe(true)
  for (const page of pages) {
    await expect.poll(() => page.getByTestId('story-save-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('saved')
  }
  return text
}

/** The saved plain text, with spaces at paragraph ends left out as the page's text has them. */
async function storedText(storyId: string) {
  const [row] = await sql<{ body_text: string }>('select body_text from public.stories where id = $1', [storyId])
  return normalised(row!.body_text)
}

describe('writing a story together', { timeout: 180_000 }, () => {
  test('two people typing in the same paragraph at once end with the same text, everyone\'s words, saved', async () => {
    const storyId = await createStory('Sommeren på setra', 'Mor fortalte:')
    const [anne, per] = await Promise.all([openStory(daughter, storyId), openStory(son, storyId)])
    await Promise.all([caretAtEndOfFirstParagraph(anne.page), caretAtEndOfFirstParagraph(per.page)])
    await Promise.all([
      anne.page.keyboard.type(' Vi melket kyrne hver morgen.', { delay: 25 }),
      per.page.keyboard.type(' Jeg husker geitene.', { delay: 25 }),
    ])
    const text = await settled([anne.page, per.page])
    expect(text).toContain('Mor fortalte:')
    expect(text.match(/Mor fortalte:/g)).toHaveLength(1)
    for (const word of ['melket', 'kyrne', 'morgen.', 'husker', 'geitene.']) expect(text).toContain(word)
    expect(await storedText(storyId)).toBe(text)
    await expect.poll(() => anne.page.getByTestId('story-present').innerText()).toContain('Per Skrivesen')
    await expect.poll(() => anne.page.locator('.collaboration-carets__label').first().innerText()).toBe('Per Skrivesen')
    await expectAccessible(anne.page, 'story together')
    await screenshot(anne.page, 'story-collab-two')
    await anne.context.close()
    await per.context.close()
  })

  test('two people opening an empty story at once both write into it, with nothing doubled', async () => {
    const [row] = await sql<{ id: string }>(`insert into public.stories (resident_id, title, created_by)
      values ($1, 'Tom ennå', $2) returning id`, [home.residentId, daughter.id])
    const storyId = row!.id
    const [anne, per] = await Promise.all([openStory(daughter, storyId), openStory(son, storyId)])
    await anne.page.getByTestId('story-editor').click()
    await anne.page.keyboard.type('Anne begynte.', { delay: 20 })
    await per.page.getByTestId('story-editor').click()
    await per.page.keyboard.press('ControlOrMeta+End')
    await per.page.keyboard.type(' Per fortsatte.', { delay: 20 })
    const text = await settled([anne.page, per.page])
    expect(text.split('Anne begynte.')).toHaveLength(2)
    expect(text.split('Per fortsatte.')).toHaveLength(2)
    const [stored] = await sql<{ body: { content: unknown[] } }>('select body from public.stories where id = $1', [storyId])
    expect(stored!.body.content.length).toBeLessThanOrEqual(2)
    await anne.context.close()
    await per.context.close()
  })

  test('three people: typing, deleting across each other\'s text and one offline and back', async () => {
    const storyId = await createStory('Krigsårene', 'Far var fisker i Lofoten hele livet.')
    const [anne, per, kari] = await Promise.all([
      openStory(daughter, storyId), openStory(son, storyId, { width: 820, height: 1180 }), openStory(nurse, storyId, { width: 390, height: 844 }),
    ])
    // Anne deletes "i Lofoten" while Per deletes "Lofoten hele" and Kari types at the end.
    await selectInFirstParagraph(anne.page, 'Far var fisker '.length, 'Far var fisker i Lofoten'.length)
    await selectInFirstParagraph(per.page, 'Far var fisker i '.length, 'Far var fisker i Lofoten hele'.length)
    await caretAtEndOfFirstParagraph(kari.page)
    await Promise.all([anne.page.keyboard.press('Backspace'), per.page.keyboard.press('Backspace'),
      kari.page.keyboard.type(' Han rodde ut hver dag.', { delay: 20 })])
    let text = await settled([anne.page, per.page, kari.page])
    expect(text).toContain('Far var fisker')
    expect(text).not.toContain('Lofoten')
    expect(text).not.toContain('hele')
    expect(text).toContain('livet. Han rodde ut hver dag.')

    // Per loses the network and keeps typing; the others type meanwhile.
    await per.context.setOffline(true)
    await expect.poll(() => per.page.getByTestId('story-save-state').getAttribute('data-state')).toBe('offline')
    await caretAtEndOfFirstParagraph(per.page)
    await per.page.keyboard.type(' Per skrev uten nett.', { delay: 20 })
    await caretAtEndOfFirstParagraph(anne.page)
    await anne.page.keyboard.type(' Anne skrev imens.', { delay: 20 })
    await screenshot(per.page, 'story-collab-offline')
    expect(await editorText(per.page)).not.toContain('Anne skrev imens.')
    await per.context.setOffline(false)

    text = await settled([anne.page, per.page, kari.page])
    for (const words of ['Per skrev uten nett.', 'Anne skrev imens.', 'Han rodde ut hver dag.']) {
      expect(text.split(words)).toHaveLength(2)
    }
    expect(await storedText(storyId)).toBe(text)
    await screenshot(kari.page, 'story-collab-phone')
    for (const opened of [anne, per, kari]) await opened.context.close()
  })

  test('a viewer follows the story live, without an editor, and can read earlier versions but not restore', async () => {
    const storyId = await createStory('Bryllupet', 'Vi giftet oss i 1952.')
    const anne = await openStory(daughter, storyId)
    const emma = await openStory(grandchild, storyId)
    await expect.poll(() => emma.page.getByTestId('story-text').innerText()).toContain('Vi giftet oss i 1952.')
    expect(await emma.page.getByTestId('story-editor').count()).toBe(0)
    expect(await emma.page.getByTestId('story-following').isVisible()).toBe(true)

    await caretAtEndOfFirstParagraph(anne.page)
    await anne.page.keyboard.type(' Det regnet hele dagen.', { delay: 20 })
    await expect.poll(() => emma.page.getByTestId('story-text').innerText(), { timeout: 10_000 })
      .toContain('Det regnet hele dagen.')
    expect(await emma.page.locator('[data-testid="story-text"]').getAttribute('contenteditable')).toBe('false')

    await settled([anne.page])
    await emma.page.getByTestId('story-versions-toggle').click()
    await expect.poll(() => emma.page.getByTestId('story-version').count()).toBeGreaterThan(0)
    expect(await emma.page.getByTestId('story-version-restore').count()).toBe(0)
    await expectAccessible(emma.page, 'story followed by a viewer')
    await screenshot(emma.page, 'story-collab-viewer')
    await anne.context.close()
    await emma.context.close()
  })

  test('an editor restores an earlier version, and everyone converges on it', async () => {
    const storyId = await createStory('Huset i Vika', 'Huset var rødt.')
    const [anne, per] = await Promise.all([openStory(daughter, storyId), openStory(son, storyId)])
    await caretAtEndOfFirstParagraph(anne.page)
    await anne.page.keyboard.type(' Det hadde en stor hage.', { delay: 20 })
    await settled([anne.page, per.page])
    // The first window ends; Per's rewrite starts a new version.
    await sql(`update public.story_versions set started_at = now() - interval '11 minutes' where story_id = $1`, [storyId])
    await per.page.locator('[data-testid="story-editor"] p').first().click()
    await per.page.keyboard.press('ControlOrMeta+a')
    await per.page.keyboard.type('Alt er borte.', { delay: 20 })
    await settled([anne.page, per.page])

    await anne.page.getByTestId('story-versions-toggle').click()
    const versions = anne.page.getByTestId('story-version')
    await expect.poll(() => versions.count()).toBe(2)
    expect(await versions.first().innerText()).toContain('Per Skrivesen')
    expect(await versions.first().innerText()).toContain('Alt er borte.')
    expect(await versions.nth(1).innerText()).toContain('Anne Skrivesen')
    await versions.nth(1).getByTestId('story-version-show').click()
    expect(await versions.nth(1).getByTestId('story-version-text').innerText()).toBe('Huset var rødt. Det hadde en stor hage.')
    await screenshot(anne.page, 'story-versions')
    await versions.nth(1).getByTestId('story-version-restore').click()

    const text = await settled([anne.page, per.page])
    expect(text.trim()).toBe('Huset var rødt. Det hadde en stor hage.')
    expect(await storedText(storyId)).toBe('Huset var rødt. Det hadde en stor hage.')
    await anne.context.close()
    await per.context.close()
  })

  test('a photo from the albums goes into the story through a signed URL; pasted images and scripts do not', async () => {
    const storyId = await createStory('Bildene', 'Her er setra.')
    const mediaId = randomUUID()
    const folder = `${home.residentId}/media/${mediaId}`
    const bytes = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#3d7ac8' } }).jpeg().toBuffer()
    for (const name of ['original.jpg', 'display.jpg', 'thumbnail.jpg']) {
      const { error } = await adminClient().storage.from('media').upload(`${folder}/${name}`, bytes, { contentType: 'image/jpeg' })
      if (error) throw error
    }
    await sql(`insert into public.media_items (id, resident_id, storage_path, kind, variants, caption, file_name)
      values ($1, $2, $3, 'image', $4, 'Setra i 1950', 'setra.jpg')`,
    [mediaId, home.residentId, `${folder}/original.jpg`, { display: `${folder}/display.jpg`, thumbnail: `${folder}/thumbnail.jpg` }])

    const anne = await openStory(daughter, storyId)
    await caretAtEndOfFirstParagraph(anne.page)
    await anne.page.getByTestId('story-add-photo').click()
    await anne.page.getByTestId('story-photo-choices').getByRole('button', { name: 'Setra i 1950' }).click()
    const photo = anne.page.getByTestId('story-editor').locator('img')
    await expect.poll(() => photo.getAttribute('src')).toMatch(new RegExp(`^${stack.apiUrl}/storage/v1/object/sign/media/`))
    expect(await photo.getAttribute('alt')).toBe('Setra i 1950')

    // Pasting a web page: its structure stays, its image, scripts and unsafe links do not.
    await caretAtEndOfFirstParagraph(anne.page)
    await anne.page.evaluate(() => {
      const data = new DataTransfer()
      data.setData('text/html', `<script>window.pwned = 1</script><p onclick="window.pwned=1">Fra nett: <a href="javascript:window.pwned=1">farlig</a>
        <a href="https://www.nb.no/">nb.no</a></p><img src="https://sporing.eksempel.no/piksel.gif" onerror="window.pwned=1">`)
      document.querySelector('[data-testid="story-editor"]')!
        .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    })
    await settled([anne.page])
    expect(await anne.page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined()
    expect(await anne.page.getByTestId('story-editor').locator('img').count()).toBe(1)
    const [row] = await sql<{ body: unknown }>('select body from public.stories where id = $1', [storyId])
    const stored = JSON.stringify(row!.body)
    expect(stored).toContain(`"path":"${folder}/display.jpg"`)
    expect(stored).toContain('https://www.nb.no/')
    for (const unsafe of ['javascript:', 'sporing.eksempel', 'onclick', 'pwned']) expect(stored).not.toContain(unsafe)

    const emma = await openStory(grandchild, storyId, { width: 390, height: 844 })
    await expect.poll(() => emma.page.getByTestId('story-text').locator('img').getAttribute('src'))
      .toMatch(new RegExp(`^${stack.apiUrl}/storage/v1/object/sign/media/`))
    expect(anne.foreignRequests).toEqual([])
    expect(emma.foreignRequests).toEqual([])
    await screenshot(anne.page, 'story-photo')
    await screenshot(emma.page, 'story-photo-phone')
    await anne.context.close()
    await emma.context.close()
  })

  test('text that looks like health information is flagged beside the editor; confirming is recorded', async () => {
    const storyId = await createStory('Kvelden', 'Om kvelden satt vi ute.')
    const anne = await openStory(daughter, storyId)
    await caretAtEndOfFirstParagraph(anne.page)
    await anne.page.keyboard.type(' Mor tok medisinen sin.', { delay: 10 })
    const warning = anne.page.getByTestId('life-story-health-warning')
    await expect.poll(() => warning.isVisible()).toBe(true)
    expect(await warning.innerText()).toContain('medisinen')
    await settled([anne.page])
    await expect.poll(async () => (await sql<{ confirmed: boolean }>(
      `select confirmed from public.health_flags where row_id = $1 and column_name = 'body_text'`, [storyId]))[0]?.confirmed).toBe(false)
    await anne.page.getByTestId('life-story-health-confirm').click()
    await expect.poll(() => warning.count()).toBe(0)
    await expect.poll(async () => (await sql<{ confirmed: boolean }>(
      `select confirmed from public.health_flags where row_id = $1 and column_name = 'body_text'`, [storyId]))[0]?.confirmed).toBe(true)
    await anne.context.close()
  })

  test('closing the tab right after typing still saves the words', async () => {
    const storyId = await createStory('Skolen', 'Jeg gikk på skolen i Vang.')
    const anne = await openStory(daughter, storyId)
    await caretAtEndOfFirstParagraph(anne.page)
    await anne.page.keyboard.type(' Læreren het Olsen.', { delay: 10 })
    await anne.page.close({ runBeforeUnload: true })
    await expect.poll(() => storedText(storyId), { timeout: 10_000 }).toBe('Jeg gikk på skolen i Vang. Læreren het Olsen.')
    await anne.context.close()
  })
})
