// A new version of one legal document asks again. Publishing one changes what every
// signed-in person must do, so this file runs on its own throwaway stack and app
// server (same build), where nothing else is signed in.
import { createClient } from '@supabase/supabase-js'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import WebSocket from 'ws'
import { startThrowawayStack } from '../../local-stack/src/stack'
import { serveApp } from '../setup/app-server'
import { expectAccessible, launchBrowser, screenshot } from './support'

let browser: Browser
let stack: Awaited<ReturnType<typeof startThrowawayStack>>
let server: Awaited<ReturnType<typeof serveApp>>
let ingridId: string

/** A service-role client for the isolated stack: publishing is an administrator's job. */
const admin = () => createClient(stack.apiUrl, stack.secrets.serviceRoleKey, {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket as never },
})

beforeAll(async () => {
  stack = await startThrowawayStack('terms')
  server = await serveApp({ apiUrl: stack.apiUrl, anonKey: stack.secrets.anonKey, serviceRoleKey: stack.secrets.serviceRoleKey })
  browser = await launchBrowser()
  const { data, error } = await admin().from('residents').select('id').eq('display_name', 'Ingrid Marie Bakken').single()
  if (error) throw error
  ingridId = data.id
}, 180_000)
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await stack?.stop()
})

/** Publishes the next version of one document, as an administrator would in the dashboard. */
async function publish(kind: 'terms' | 'privacy' | 'confidentiality', titleNb: string) {
  const { data: current } = await admin().from('legal_documents').select('version')
    .eq('kind', kind).order('version', { ascending: false }).limit(1).single()
  const { error } = await admin().from('legal_documents').insert({
    kind, version: (current?.version ?? 0) + 1, title_nb: titleNb, title_en: `${kind} (new)`,
    body_nb: 'Vi har gjort teksten kortere.', body_en: 'We made the text shorter.',
  })
  if (error) throw error
}

async function signInAsPer(page: Page) {
  await page.goto(`${server.url}/sign-in`)
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
  await page.getByTestId('identifier').fill('per.bakken@demo.minnespor.no')
  await page.getByTestId('password').fill('minnespor-demo')
  await page.getByTestId('sign-in-submit').click()
  await page.waitForURL(url => url.pathname === `/residents/${ingridId}`)
}

/** Accepts on the terms page and expects to arrive at the given path. */
async function acceptAndArrive(page: Page, path: string) {
  await page.getByTestId('terms-agree').click()
  await page.getByTestId('terms-accept').click()
  await page.waitForURL(url => url.pathname === path)
}

describe('a new version of one document', { timeout: 90_000 }, () => {
  test('sends a signed-in person to the terms, shows only what changed, then on to where they were going', async () => {
    const context = await browser.newContext({ locale: 'nb-NO', timezoneId: 'Europe/Oslo' })
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    await signInAsPer(page)

    await publish('privacy', 'Personvernerklæring, ny utgave')
    const lifePath = `/residents/${ingridId}/life`
    await page.goto(`${server.url}${lifePath}`)
    await page.waitForURL(url => url.pathname === '/terms')
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
    await expect.poll(() => page.getByTestId('terms-updated').innerText()).toContain('Personvernerklæring, ny utgave')
    expect(await page.getByTestId('terms-document-privacy').count()).toBe(1)
    expect(await page.getByTestId('terms-document-terms').count()).toBe(0)
    expect(await page.getByTestId('terms-document-confidentiality').count()).toBe(0)
    await expectAccessible(page, 'terms with one changed document')
    await screenshot(page, 'terms-changed')
    await acceptAndArrive(page, lifePath)

    // Published while the app is open: the next page asks, once the last check is a minute old.
    await page.goto(`${server.url}/account`)
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
    await publish('confidentiality', 'Taushetsplikt, ny utgave')
    await page.evaluate(() => {
      const app = (document.querySelector('#__nuxt') as unknown as { __vue_app__: { config: { globalProperties: { $pinia: { state: { value: { access: { termsCheckedAt: number } } } } } } } }).__vue_app__
      app.config.globalProperties.$pinia.state.value.access.termsCheckedAt = 0
    })
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Forsiden' }).click()
    await page.waitForURL(url => url.pathname === '/terms')
    await expect.poll(() => page.getByTestId('terms-updated').innerText()).toContain('Taushetsplikt, ny utgave')
    await acceptAndArrive(page, `/residents/${ingridId}`)
    await context.close()
  })
})
