// Export (issue 10, point 5): the ZIP holds every item of the life story in
// data.json, every photo in full size with its caption, and a book that
// names every item; only the primary contact and org admins may export, and
// each export is in the audit trail.
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, one, type World } from '../access/fixtures'
import { ExportRefusal, exportZip, readExportData } from '../../server/utils/privacy/export'
import { addPhoto } from './support'
import { readZip } from './zip-reader'

let world: World
let files: Map<string, Buffer>
let photos: Awaited<ReturnType<typeof addPhoto>>[]

/** A life story with one of everything, written by the relative. */
async function fillLifeStory() {
  const r = world.residentId
  const by = world.users.relative
  await db(`update public.residents set preferred_name = 'Ingrid', grew_up_in = 'Toten', birth_year = 1938,
    introduction = 'Jeg er glad i kaffe og Prøysen.' where id = $1`, [r])
  const album = await one<{ id: string }>(`insert into public.albums (resident_id, title, created_by) values ($1, 'Hytta på Tretten', $2) returning id`, [r, by])
  photos = [
    await addPhoto(world, 'relative', { albumId: album!.id, caption: 'Bålkos ved vannet', fileName: 'Bål på hytta – 1972.jpg' }),
    await addPhoto(world, 'relative', { caption: 'Konfirmasjonen til Per', fileName: 'per.jpg' }),
  ]
  await db(`insert into public.relations (resident_id, name, relationship, description, is_living, created_by)
    values ($1, 'Olav', 'ektemann', 'Snekker som laget kjøkkenbordet.', false, $2)`, [r, by])
  await db(`insert into public.life_events (resident_id, title, event_year, place, life_period, created_by)
    values ($1, 'Gift med Olav', 1961, 'Hoff kirke', 'adult_life', $2)`, [r, by])
  await db(`insert into public.stories (resident_id, title, body, body_text, created_by) values ($1, 'Sommeren på seteren',
    $2, 'Vi melket kyrne.', $3)`, [r, { type: 'doc', content: [{ type: 'paragraph', content: [
    { type: 'text', text: 'Vi melket ' }, { type: 'text', text: 'kyrne', marks: [{ type: 'bold' }] },
    { type: 'text', text: ' <og> sang.' }] }] }, by])
  await db(`insert into public.interests (resident_id, title, category, created_by) values ($1, 'Alf Prøysens viser', 'music', $2)`, [r, by])
  await db(`insert into public.everyday_wishes (resident_id, title, category, created_by) values ($1, 'Kaffe med fløte', 'food_and_drink', $2)`, [r, by])
  const post = await one<{ id: string }>(`insert into public.guestbook_posts (resident_id, body, created_by) values ($1, 'Gratulerer med dagen, mamma!', $2) returning id`, [r, by])
  await db(`insert into public.guestbook_comments (post_id, resident_id, body, created_by) values ($1, $2, 'Så fint!', $3)`, [post!.id, r, world.users.staff])
  await db(`insert into public.guestbook_posts (resident_id, body, created_by, removed_at) values ($1, 'Fjernet innlegg', $2, now())`, [r, by])
}

async function download(actor: 'primaryContact' | 'orgAdmin') {
  const client = await world.client(actor)
  const data = await readExportData(client, world.residentId)
  const chunks: Buffer[] = []
  for await (const chunk of exportZip(client, data)) chunks.push(chunk)
  return Buffer.concat(chunks)
}

beforeAll(async () => {
  world = await createWorld('Eksport')
  await fillLifeStory()
  const zip = await download('primaryContact')
  files = readZip(zip)
  // Kept for the browser test and for a person to open and look at.
  const folder = join('test-artifacts', 'privacy-export')
  for (const [name, bytes] of files) {
    mkdirSync(join(folder, name, '..'), { recursive: true })
    writeFileSync(join(folder, name), bytes)
  }
})

describe('the export ZIP', () => {
  it('holds the book, the data, a captions file and every photo in full size under its own name', () => {
    expect([...files.keys()].sort()).toEqual([
      'Livshistorien.html', 'book/' + `${photos[0]!.id}-display.jpg`, 'book/' + `${photos[0]!.id}-thumbnail.jpg`,
      'book/' + `${photos[1]!.id}-display.jpg`, 'book/' + `${photos[1]!.id}-thumbnail.jpg`,
      'data.json', 'photos/001 Bål på hytta – 1972.jpg', 'photos/002 per.jpg', 'photos/Bildetekster.txt',
    ].sort())
    expect(files.get('photos/001 Bål på hytta – 1972.jpg')!.subarray(0, 2)).toEqual(Buffer.from([0xFF, 0xD8]))
    expect(files.get('photos/Bildetekster.txt')!.toString()).toBe(
      '001 Bål på hytta – 1972.jpg — Bålkos ved vannet\n002 per.jpg — Konfirmasjonen til Per\n')
  })

  it('has every item of the life story in data.json, and no removed post', () => {
    const data = JSON.parse(files.get('data.json')!.toString())
    expect(data.resident).toMatchObject({ display_name: 'Ingrid Bakken', preferred_name: 'Ingrid', grew_up_in: 'Toten' })
    const titles = (rows: { title?: string, name?: string }[]) => rows.map(row => row.title ?? row.name)
    expect(titles(data.relations)).toEqual(['Olav'])
    expect(titles(data.life_events)).toEqual(['Gift med Olav'])
    expect(titles(data.stories)).toEqual(['Sommeren på seteren'])
    expect(titles(data.interests)).toEqual(['Alf Prøysens viser'])
    expect(titles(data.everyday_wishes)).toEqual(['Kaffe med fløte'])
    expect(titles(data.albums)).toEqual(['Hytta på Tretten'])
    expect(data.media_items.map((m: { caption: string }) => m.caption)).toEqual(['Bålkos ved vannet', 'Konfirmasjonen til Per'])
    expect(data.guestbook_posts).toHaveLength(1)
    expect(data.guestbook_posts[0]).toMatchObject({ body: 'Gratulerer med dagen, mamma!', comments: [expect.objectContaining({ body: 'Så fint!' })] })
    expect(data.people[world.users.relative]).toBe('relative')
    expect(data.missing_files).toEqual([])
    expect(JSON.stringify(data)).not.toContain('document_state')
  })

  it('has a book that names every item, escapes text, and links only to files inside the ZIP', () => {
    const html = files.get('Livshistorien.html')!.toString()
    for (const text of ['Ingrid Bakken', 'Olav', 'Gift med Olav', 'Hoff kirke', 'Sommeren på seteren', '<strong>kyrne</strong>',
      '&#60;og&#62;', 'Alf Prøysens viser', 'Kaffe med fløte', 'Hytta på Tretten', 'Bålkos ved vannet', 'Gratulerer med dagen, mamma!',
      'Så fint!', `book/${photos[0]!.id}-display.jpg`, 'photos/002 per.jpg']) {
      expect(html, text).toContain(text)
    }
    expect(html).not.toContain('Fjernet innlegg')
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3)/)
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(m => m[1]!)
    for (const source of sources) expect(files.has(source.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c)))), source).toBe(true)
  })

  it('is refused to everyone but the primary contact and org admins', async () => {
    for (const actor of ['leader', 'superuser', 'staff', 'relative', 'viewer', 'resident', 'otherRelative'] as const) {
      await expect(readExportData(await world.client(actor), world.residentId), actor).rejects.toBeInstanceOf(ExportRefusal)
    }
    const org = await download('orgAdmin')
    expect(readZip(org).has('data.json')).toBe(true)
  })

  it('is recorded in the audit trail, once per download, by who downloaded', async () => {
    const rows = await db(`select actor_id from public.audit_events where resident_id = $1 and action = 'resident_exported' order by id`,
      [world.residentId])
    expect(rows.rows).toEqual([{ actor_id: world.users.primaryContact }, { actor_id: world.users.orgAdmin }])
  })
})
