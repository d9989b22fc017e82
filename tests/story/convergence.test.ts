// Three people edit one story at once through the app's StoryProvider over the local stack's
// Realtime (Node, supabase-js, Yjs): typing in the same paragraph, deleting across each
// other's text, one losing the connection and typing on. Everyone ends with the same text,
// with every person's words; a viewer follows along without being able to send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { createWorld, type World } from '../access/fixtures.ts'
import { dropConnection, liveClient, sleep, waitFor } from '../guestbook/support.ts'
import { createStory, openStory, type StoryEditor } from './support.ts'

let world: World
const opened: StoryEditor[] = []

beforeAll(async () => {
  world = await createWorld('Sammen')
})
afterAll(async () => {
  await Promise.all(opened.map(editor => editor.provider.destroy()))
})

async function open(actor: 'relative' | 'staff' | 'primaryContact' | 'viewer', storyId: string, client?: Awaited<ReturnType<typeof liveClient>>) {
  const editor = openStory(client ?? await liveClient(world.users[actor]), storyId, actor !== 'viewer')
  opened.push(editor)
  await editor.live()
  return editor
}

function converged(editors: StoryEditor[], timeout = 5_000) {
  return waitFor(() => {
    const texts = editors.map(editor => editor.text())
    return texts.every(text => text === texts[0]) ? texts[0] : undefined
  }, timeout, 'the same text everywhere')
}

describe('three people editing one story', { timeout: 60_000 }, () => {
  it('typing in the same paragraph at once ends identical everywhere, with every word', async () => {
    const storyId = await createStory(world.residentId, world.authorId)
    const [anne, kari, per] = await Promise.all([open('primaryContact', storyId), open('staff', storyId), open('relative', storyId)])
    const viewer = await open('viewer', storyId)
    anne.type('Mor ')
    await converged([anne, kari, per])
    for (let i = 0; i < 20; i++) {
      anne.type(`anne${i} `)
      kari.type(`kari${i} `)
      per.type(`per${i} `)
      await sleep(5)
    }
    const text = await converged([anne, kari, per, viewer])
    for (let i = 0; i < 20; i++) {
      for (const name of ['anne', 'kari', 'per']) expect(text).toContain(`${name}${i} `)
    }
    expect(text.startsWith('Mor ')).toBe(true)
  })

  it('deleting across each other\'s text keeps what nobody deleted, the same everywhere', async () => {
    const storyId = await createStory(world.residentId, world.authorId)
    const [anne, kari] = await Promise.all([open('primaryContact', storyId), open('staff', storyId)])
    anne.type('Ingrid vokste opp på Toten ')
    await converged([anne, kari])
    // At once: Anne deletes "vokste opp", Kari deletes "opp på" and adds her own words.
    const anneText = (anne.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText
    const kariText = (kari.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText
    anneText.delete(7, 11)
    kariText.delete(14, 7)
    kariText.insert(kariText.length, 'og var glad i hester.')
    const text = await converged([anne, kari])
    expect(text).toBe('Ingrid Toten og var glad i hester.')
  })

  it('one who loses the connection keeps typing, and on rejoin everything merges without loss or duplicates', async () => {
    const storyId = await createStory(world.residentId, world.authorId)
    const perClient = await liveClient(world.users.relative)
    const [anne, kari, per] = await Promise.all([open('primaryContact', storyId), open('staff', storyId), open('relative', storyId, perClient)])
    anne.type('Start. ')
    await converged([anne, kari, per])

    dropConnection(perClient)
    await waitFor(() => per.provider.connection === 'offline' || undefined, 5_000, 'the connection to drop')
    per.type('Per skrev uten nett. ')
    anne.type('Anne skrev imens. ')
    await sleep(200)
    expect(per.text()).not.toContain('Anne skrev imens.')
    expect(anne.text()).not.toContain('Per skrev uten nett.')

    await per.live()
    const text = await converged([anne, kari, per])
    expect(text.match(/Per skrev uten nett\./g)).toHaveLength(1)
    expect(text.match(/Anne skrev imens\./g)).toHaveLength(1)
    expect(text.match(/Start\./g)).toHaveLength(1)
  })

  it('shows everyone\'s named caret state to the others and drops it when they leave', async () => {
    const storyId = await createStory(world.residentId, world.authorId)
    const [anne, kari] = await Promise.all([open('primaryContact', storyId), open('staff', storyId)])
    anne.provider.awareness.setLocalStateField('user', { name: 'Anne', color: '#175cd3' })
    await waitFor(() => kari.provider.awareness.getStates().get(anne.doc.clientID)?.user?.name, 3_000, 'Anne\'s caret')
    await anne.provider.destroy()
    await waitFor(() => kari.provider.awareness.getStates().has(anne.doc.clientID) ? undefined : true, 3_000, 'Anne to leave')
  })
})
