// Attacks on collaborative stories through supabase-js, past the app: a relative whose access
// is taken away while the story is open, and contributors who save a story's text straight
// through save_story_document (or their own row) instead of through the app's server, which is
// the only place that merges and checks it.
import type { SupabaseClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { acceptTerms, createUser, createWorld, db, one, type World } from '../access/fixtures'
import { liveClient, sleep, waitFor } from '../guestbook/support'
import {
  isSafeStoryBody, mergeAndSaveStory, openingStoryState, storyField, storyPlainText, toBase64, type StoryNode,
} from '../../shared/schemas/story'
import { createStory, openStory, type StoryEditor } from '../story/support'

let world: World
const opened: StoryEditor[] = []

beforeAll(async () => {
  world = await createWorld('Fortelling angrep')
})
afterAll(async () => {
  await Promise.all(opened.map(editor => editor.provider.destroy()))
})

/** A relative of the resident made for one test, so removing them touches nobody else. */
async function newRelative(name: string) {
  const user = await createUser(name)
  await db(`insert into public.resident_members (resident_id, user_id, role, relationship)
    values ($1, $2, 'relative', 'barnebarn')`, [world.residentId, user.id])
  await acceptTerms(user.id)
  return user.id
}

/** Opens the story as the app does: on the topic public.story_live_topic names, following a rekey. */
async function open(userId: string, storyId: string) {
  const client = await liveClient(userId)
  const { data: topic } = await client.rpc('story_live_topic', { story: storyId })
  const editor = openStory(client, storyId, true, undefined, topic as string)
  opened.push(editor)
  await editor.live()
  return editor
}

/** The topic an editor is on (the provider keeps it to itself). */
const topicOf = (editor: StoryEditor) => (editor.provider as unknown as { topic: string }).topic

/**
 * Removes a relative and waits until the others' pages have followed the "rekey" to the new
 * topic (it reaches them within moments; a change typed in those moments still goes out on
 * the old topic, which no design of topics can recall).
 */
async function removeWhileOpen(removedId: string, others: StoryEditor[]) {
  const before = others.map(topicOf)
  await db('delete from public.resident_members where resident_id = $1 and user_id = $2', [world.residentId, removedId])
  await waitFor(() => others.every((editor, i) => topicOf(editor) !== before[i] && editor.provider.connection === 'live')
    || undefined, 5_000, 'the others following the rekey')
}

const paragraph = (text: string): StoryNode => ({ type: 'paragraph', content: [{ type: 'text', text }] })

/** A Yjs update that adds a paragraph to whatever document it is merged into (a fresh client's). */
function newParagraphUpdate(text: string) {
  const doc = new Y.Doc()
  const element = new Y.XmlElement('paragraph')
  element.insert(0, [new Y.XmlText(text)])
  doc.getXmlFragment(storyField).insert(0, [element])
  return Y.encodeStateAsUpdate(doc)
}

async function storedStory(storyId: string) {
  return (await one<{ document_state: Buffer | null, body: StoryNode, body_text: string, document_version: string }>(
    'select document_state, body, body_text, document_version from public.stories where id = $1', [storyId]))!
}

describe('a relative removed while a story is open', { timeout: 30_000 }, () => {
  // Realtime checks a private channel only when it is joined. Since 20261205125300 a story's
  // topic carries the resident's secret key, which changes when anyone loses access; the old
  // topic hears "rekey", those with access follow to the new topic, the removed relative cannot.
  it('hears nothing more of what the others write', async () => {
    const storyId = await createStory(world.residentId, world.authorId)
    const removedId = await newRelative('Fjernet lytter')
    const staff = await open(world.users.staff, storyId)
    const removed = await open(removedId, storyId)
    await removeWhileOpen(removedId, [staff])
    staff.type('Skrevet etter at tilgangen ble tatt.')
    await sleep(1_500)
    expect(removed.text()).not.toContain('etter at tilgangen')
  })

  // Worse than listening would be the others' browsers merging what the removed relative sends
  // and saving it with their own rights. After the rekey nobody with access is on their topic.
  it('can no longer write into the story through the others\' open pages', async () => {
    const storyId = await createStory(world.residentId, world.authorId)
    const removedId = await newRelative('Fjernet skriver')
    const staff = await open(world.users.staff, storyId)
    const removed = await open(removedId, storyId)
    await removeWhileOpen(removedId, [staff])
    removed.type('Innbrudd etter fjerning.')
    await sleep(1_500)
    expect(staff.text()).not.toContain('Innbrudd')
  })
})

describe('a story\'s text saved past the app\'s server', () => {
  it('an unreadable collaborative state stored by a contributor does not lock everyone out of the story', async () => {
    const storyId = await createStory(world.residentId, world.authorId, 'Fiskeværet', { type: 'doc', content: [paragraph('Far rodde fiske.')] })
    const relative = await world.client('relative')
    // A relative who did not write the story may save its text: stories are written together.
    const forged = await relative.rpc('save_story_document', {
      story_id: storyId, document_state: toBase64(new TextEncoder().encode('dette er ikke Yjs')),
      body: { type: 'doc', content: [paragraph('Far rodde fiske.')] }, body_text: 'Far rodde fiske.', expected_version: 0,
    })
    expect(forged.error).toBeNull()

    // Every browser opens the story from this state; it must still open, with the last text.
    const row = await storedStory(storyId)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, openingStoryState(row.document_state, row.body))
    expect(doc.getXmlFragment(storyField).toString()).toContain('Far rodde fiske.')

    // And the next person's save goes through, leaving a readable state with both texts.
    const staff = await world.client('staff')
    await expect(mergeAndSaveStory(staff, storyId, newParagraphUpdate('Mor bakte flatbrød.'), true)).resolves.toBeGreaterThan(1)
    const saved = await storedStory(storyId)
    expect(saved.body_text).toContain('Far rodde fiske.')
    expect(saved.body_text).toContain('Mor bakte flatbrød.')
    const check = new Y.Doc()
    Y.applyUpdate(check, new Uint8Array(saved.document_state!))
  })

  it('a body with nodes a story does not have, written into the author\'s own row, still opens and saves', async () => {
    const relative = await world.clientOf(world.authorId)
    const { data, error } = await relative.from('stories').insert({
      resident_id: world.residentId, created_by: world.authorId, title: 'Rart innhold',
      body: { type: 'doc', content: [
        { type: 'iframe', attrs: { src: 'https://example.org' } },
        paragraph('Synlig tekst.'),
        { type: 'paragraph', content: [{ type: 'text', text: 'lenke', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] },
      ] },
    }).select('id').single()
    expect(error).toBeNull()

    const row = await storedStory(data!.id)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, openingStoryState(row.document_state, row.body))
    expect(doc.getXmlFragment(storyField).toString()).toContain('Synlig tekst.')

    const staff = await world.client('staff')
    await expect(mergeAndSaveStory(staff, data!.id, newParagraphUpdate('Lagt til av personalet.'), true)).resolves.toBeGreaterThan(0)
    const saved = await storedStory(data!.id)
    expect(isSafeStoryBody(saved.body)).toBe(true)
    expect(saved.body_text).toContain('Synlig tekst.')
    expect(JSON.stringify(saved.body)).not.toContain('javascript:')
  })

  // save_story_document refuses a body the story's schema would not hold (unknown nodes or
  // marks, links that are not web or e-mail, photos from elsewhere) and stores the plain text
  // it reads from the body, not the caller's (20261205160000_story_save_checks_body_and_author).
  // Every view also renders the body through the story's schema: defence in depth.
  it('a body with a javascript: link, sent straight to save_story_document, is not stored as it is', async () => {
    const storyId = await createStory(world.residentId, world.authorId, 'Lenker')
    const relative: SupabaseClient = await world.client('relative')
    const { error } = await relative.rpc('save_story_document', {
      story_id: storyId, document_state: toBase64(Y.encodeStateAsUpdate(new Y.Doc())),
      body: { type: 'doc', content: [{ type: 'paragraph', content: [
        { type: 'text', text: 'Trykk her', marks: [{ type: 'link', attrs: { href: 'javascript:alert(document.cookie)' } }] }] }] },
      body_text: 'Noe helt annet enn teksten', expected_version: 0,
    })
    expect(error?.code).toBe('22023')
    const row = await storedStory(storyId)
    expect(isSafeStoryBody(row.body)).toBe(true)
    expect(row.body_text).not.toContain('Noe helt annet')
  })

  it('the plain text stored is read from the body, not taken from the caller', async () => {
    const storyId = await createStory(world.residentId, world.authorId, 'Teksten')
    const relative = await world.client('relative')
    await relative.rpc('save_story_document', {
      story_id: storyId, document_state: toBase64(Y.encodeStateAsUpdate(new Y.Doc())),
      body: { type: 'doc', content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Sjøen' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Far rodde.' }, { type: 'hardBreak' }, { type: 'text', text: 'Mor bakte.' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph('Flatbrød')] }] },
      ] },
      body_text: 'Ingenting å se her', expected_version: 0,
    }).throwOnError()
    const row = await storedStory(storyId)
    expect(row.body_text).toBe(storyPlainText(row.body))
    expect(row.body_text).toBe('Sjøen\n\nFar rodde.\nMor bakte.\n\nFlatbrød')
  })
})

describe('who changed what, in the version history', () => {
  // Whoever saves a body that differs from the stored one is named in the version, whatever
  // `authored` says (20261205160000_story_save_checks_body_and_author). A save that changes
  // nothing and says it is not authored still names nobody.
  it('a relative who rewrites the story is named in its version, whatever their browser says', async () => {
    const storyId = await createStory(world.residentId, world.authorId, 'Hvem skrev')
    const relative = await world.client('relative')
    await mergeAndSaveStory(relative, storyId, newParagraphUpdate('Alt dette er nytt.'), false)
    const version = await one<{ authors: string[] }>('select authors from public.story_versions where story_id = $1', [storyId])
    expect(version!.authors).toContain(world.users.relative)

    // Saving the same text again, not authored, adds nobody.
    const staff = await world.client('staff')
    const row = await storedStory(storyId)
    await staff.rpc('save_story_document', {
      story_id: storyId, document_state: toBase64(new Uint8Array(row.document_state!)), body: row.body,
      body_text: row.body_text, expected_version: Number(row.document_version), authored: false,
    }).throwOnError()
    const again = await one<{ authors: string[] }>('select authors from public.story_versions where story_id = $1', [storyId])
    expect(again!.authors).toEqual([world.users.relative])
  })
})
