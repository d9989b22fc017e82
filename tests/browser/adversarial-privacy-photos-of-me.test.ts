// "Bilder av meg" signs picture addresses with the server's secret key, because a
// tagged person may not be a member of the profile. The keys it signs come from
// media_items.variants, which any contributor writes through supabase-js. A relative
// who once learnt the key of another resident's photo (a forwarded signed URL holds
// it in plain text) forges an item on their own profile naming that key, tags
// themselves, and asks the server for their photos. The server must not sign it.
import { randomUUID } from 'node:crypto'
import { createClient } from '@supabase/supabase-js'
import sharp from 'sharp'
import type { Browser } from 'playwright-core'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { acceptTerms, addToResident, createCareHome, createPerson, ensureLegalDocuments, fixturePassword, sql,
  type CareHome, type Person } from './fixtures'
import { adminClient, launchBrowser, openPage, screenshot, signIn, stack, visit, waitForHome } from './support'

let browser: Browser
vi.setConfig({ testTimeout: 90_000 })
let ours: CareHome, theirs: CareHome
let relative: Person
let foreignKey: string
let forgedId: string

beforeAll(async () => {
  await ensureLegalDocuments()
  ;[ours, theirs] = await Promise.all([createCareHome('Bilder-Vår'), createCareHome('Bilder-Deres')])
  relative = await createPerson('Per Sønn')
  await acceptTerms(relative)
  await addToResident(relative, ours.residentId, 'relative')

  // A photo on the other care home's resident, which the relative may not see.
  const id = randomUUID()
  foreignKey = `${theirs.residentId}/media/${id}/thumbnail.jpg`
  const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#aa2222' } }).jpeg().toBuffer()
  const stored = await adminClient().storage.from('media').upload(foreignKey, bytes, { contentType: 'image/jpeg' })
  if (stored.error) throw stored.error

  // The forgery, made as the relative through supabase-js, as anyone could.
  const client = createClient(stack.apiUrl, stack.anonKey, { auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never } })
  const signedIn = await client.auth.signInWithPassword({ email: relative.email, password: fixturePassword })
  if (signedIn.error) throw signedIn.error
  forgedId = randomUUID()
  const forged = await client.from('media_items').insert({ id: forgedId, resident_id: ours.residentId, kind: 'image',
    storage_path: `${ours.residentId}/media/${forgedId}/original.jpg`, created_by: relative.id,
    caption: 'Lånt bilde', variants: { thumbnail: foreignKey, display: foreignKey } })
  // The database now refuses it (media_items_variants_in_own_folder); the route must still hold
  // for a row written before that check existed, so the same row is made as such a row here.
  expect(forged.error?.code).toBe('23514')
  await sql(`do $forge$ begin
    alter table public.media_items drop constraint media_items_variants_in_own_folder;
    insert into public.media_items (id, resident_id, kind, storage_path, created_by, caption, variants)
    values ('${forgedId}', '${ours.residentId}', 'image', '${ours.residentId}/media/${forgedId}/original.jpg',
      '${relative.id}', 'Lånt bilde', jsonb_build_object('thumbnail', '${foreignKey}', 'display', '${foreignKey}'));
    alter table public.media_items add constraint media_items_variants_in_own_folder
      check (private.media_variants_in_folder(resident_id, id, variants)) not valid;
  end $forge$`)
  const tagged = await client.from('media_people').insert({ resident_id: ours.residentId, media_item_id: forgedId,
    person_id: relative.id, created_by: relative.id })
  if (tagged.error) throw tagged.error
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await sql('delete from public.media_items where id = $1', [forgedId])
})

describe('"Bilder av meg" with a forged picture key', () => {
  it('never signs a key outside the photo\'s own profile, and the page still shows the photo\'s card', async () => {
    const { page } = await openPage(browser, { viewport: { width: 390, height: 844 } })
    await signIn(page, relative.email, fixturePassword)
    await waitForHome(page)
    const answer = await page.evaluate(async () => {
      const response = await fetch('/api/privacy/photos-of-me')
      return { status: response.status, body: await response.json() as { photos: { media_item_id: string, url: string | null }[] } }
    })
    expect(answer.status).toBe(200)
    const row = answer.body.photos.find(p => p.media_item_id === forgedId)
    expect(row, 'the forged item is listed (the person is tagged in it)').toBeDefined()
    expect(row!.url).toBeNull()
    expect(JSON.stringify(answer.body)).not.toContain('/object/sign/')

    await visit(page, '/me/photos')
    const card = page.getByTestId('photo-of-me')
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1)
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain('Lånt bilde')
    await screenshot(page, 'adversarial-photos-of-me-forged-key-phone')
  })
})
