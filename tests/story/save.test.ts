// Saving a story's collaborative text through public.save_story_document: only those who
// may edit may save, a save based on an older state is refused so it can be merged again,
// and each ten-minute window keeps one version with its authors.
import { beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createWorld, db, one, type World } from '../access/fixtures.ts'
import { seedStoryState, storyBodyFromDoc, storyPlainText, toBase64 } from '../../shared/schemas/story.ts'
import { createStory } from './support.ts'

let world: World

beforeAll(async () => {
  world = await createWorld('Lagre')
})

const legacyBody = { type: 'doc', content: [
  { type: 'paragraph', content: [{ type: 'text', text: 'Far var fisker i Lofoten.' }] },
] }

function saveArgs(storyId: string, doc: Y.Doc, expected: number) {
  const body = storyBodyFromDoc(doc)
  return { story_id: storyId, document_state: toBase64(Y.encodeStateAsUpdate(doc)), body,
    body_text: storyPlainText(body), expected_version: expected }
}

function docWith(text: string) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, seedStoryState(legacyBody))
  const paragraph = doc.getXmlFragment('default').get(0) as Y.XmlElement
  ;(paragraph.get(0) as Y.XmlText).insert((paragraph.get(0) as Y.XmlText).length, text)
  return doc
}

describe('saving a story\'s text', () => {
  it.each(['relative', 'staff', 'primaryContact', 'resident'] as const)('is allowed to %s, who did not write it', async (actor) => {
    const storyId = await createStory(world.residentId, world.authorId, 'Fisket', legacyBody)
    const client = await world.client(actor)
    const { data, error } = await client.rpc('save_story_document', saveArgs(storyId, docWith(' Han rodde.'), 0))
    expect(error).toBeNull()
    expect(data).toBe(1)
    const row = await one<{ body_text: string, document_version: number, updated_by: string }>(
      'select body_text, document_version::int, updated_by from public.stories where id = $1', [storyId])
    expect(row).toEqual({ body_text: 'Far var fisker i Lofoten. Han rodde.', document_version: 1, updated_by: world.users[actor] })
  })

  it.each(['viewer', 'otherRelative', 'anonymous', 'termsNotAccepted'] as const)('is refused to %s and changes nothing', async (actor) => {
    const storyId = await createStory(world.residentId, world.authorId, 'Fisket', legacyBody)
    const client = await world.client(actor)
    const { error } = await client.rpc('save_story_document', saveArgs(storyId, docWith(' Tull.'), 0))
    expect(error).not.toBeNull()
    if (actor !== 'anonymous') expect(error!.message).toBe('Only those who may add to this life story can edit the story.')
    const row = await one('select body_text, document_state, document_version::int from public.stories where id = $1', [storyId])
    expect(row).toEqual({ body_text: '', document_state: null, document_version: 0 })
  })

  it('refuses a save based on an older version with SQLSTATE 40001, keeping the newer text', async () => {
    const storyId = await createStory(world.residentId, world.authorId, 'Fisket', legacyBody)
    const client = await world.client('relative')
    await client.rpc('save_story_document', saveArgs(storyId, docWith(' Først.'), 0)).throwOnError()
    const { error } = await client.rpc('save_story_document', saveArgs(storyId, docWith(' Sent.'), 0))
    expect(error?.code).toBe('40001')
    expect((await one('select body_text from public.stories where id = $1', [storyId]))!.body_text)
      .toBe('Far var fisker i Lofoten. Først.')
  })

  it('keeps one version per window with everyone whose changes were saved in it', async () => {
    const storyId = await createStory(world.residentId, world.authorId, 'Fisket', legacyBody)
    const relative = await world.client('relative')
    const staff = await world.client('staff')
    await relative.rpc('save_story_document', saveArgs(storyId, docWith(' En.'), 0)).throwOnError()
    await staff.rpc('save_story_document', { ...saveArgs(storyId, docWith(' To.'), 1), authored: true }).throwOnError()
    await staff.rpc('save_story_document', { ...saveArgs(storyId, docWith(' Tre.'), 2), authored: false }).throwOnError()
    // An older window: a new save starts a new version.
    await db(`update public.story_versions set started_at = now() - interval '11 minutes' where story_id = $1`, [storyId])
    await relative.rpc('save_story_document', saveArgs(storyId, docWith(' Fire.'), 3)).throwOnError()

    const { data } = await (await world.client('viewer')).from('story_versions')
      .select('body_text, authors').eq('story_id', storyId).order('saved_at').throwOnError()
    expect(data).toEqual([
      { body_text: 'Far var fisker i Lofoten. Tre.', authors: [world.users.relative, world.users.staff] },
      { body_text: 'Far var fisker i Lofoten. Fire.', authors: [world.users.relative] },
    ])
    const { data: outside } = await (await world.client('otherRelative')).from('story_versions').select('id').eq('story_id', storyId)
    expect(outside).toEqual([])
  })
})

describe('stories written before they were edited together', () => {
  it('seed the very same Yjs items everywhere, so two people opening one at once see it once', () => {
    const first = new Y.Doc()
    const second = new Y.Doc()
    Y.applyUpdate(first, seedStoryState(legacyBody))
    Y.applyUpdate(second, seedStoryState(legacyBody))
    Y.applyUpdate(first, Y.encodeStateAsUpdate(second))
    Y.applyUpdate(second, Y.encodeStateAsUpdate(first))
    expect(storyPlainText(storyBodyFromDoc(first))).toBe('Far var fisker i Lofoten.')
    expect(storyPlainText(storyBodyFromDoc(second))).toBe('Far var fisker i Lofoten.')
  })

  it('keep headings, marks, lists, quotes and photos, and drop unsafe links when read back', () => {
    const body = { type: 'doc', content: [
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Krigen' }] },
      { type: 'paragraph', content: [
        { type: 'text', text: 'Les ', marks: [{ type: 'bold' }] },
        { type: 'text', text: 'her', marks: [{ type: 'link', attrs: { href: 'https://www.nb.no/' } }] },
        { type: 'text', text: ' ikke her', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] },
      ] },
      { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Sitat' }] }] },
      { type: 'storyPhoto', attrs: { mediaId: 'a', path: 'r1/m1/display.webp', alt: 'Setra' } },
      { type: 'storyPhoto', attrs: { mediaId: 'b', path: 'https://sporing.eksempel.no/x.gif', alt: 'Sporing' } },
    ] }
    const doc = new Y.Doc()
    Y.applyUpdate(doc, seedStoryState(body))
    const json = JSON.stringify(storyBodyFromDoc(doc))
    expect(json).toContain('"level":2')
    expect(json).toContain('https://www.nb.no/')
    expect(json).toContain('r1/m1/display.webp')
    expect(json).not.toContain('javascript:')
    expect(json).not.toContain('sporing.eksempel')
    expect(storyPlainText(storyBodyFromDoc(doc))).toBe('Krigen\n\nLes her ikke her\n\nSitat')
  })
})
