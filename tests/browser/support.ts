// Shared helpers for browser tests: Debian's Chromium through playwright-core, axe-core
// checks, screenshots in test-artifacts/, the local mailbox and users made through Auth.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { createClient } from '@supabase/supabase-js'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterEach, expect, inject } from 'vitest'
import WebSocket from 'ws'

export const stack = inject('stack')
export const app = inject('app')

const root = resolve(import.meta.dirname, '../..')
const artifacts = resolve(root, 'test-artifacts')
const axeSource = readFileSync(resolve(root, 'node_modules/axe-core/axe.min.js'), 'utf8')

/** Launches Chromium the way CI runs it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  })
}

/** Hosts a page may talk to: the app and the local stack, nothing else. */
const allowedOrigins = () => [new URL(app.url).origin, new URL(stack.apiUrl).origin, 'data:', 'blob:']

/** A fresh browser context (own cookies) whose page records every request to a foreign host. */
export interface PageOptions {
  locale?: string
  viewport?: { width: number, height: number }
  /**
   * 'block' for a test that intercepts requests with `page.route`: once the app's service
   * worker controls the page (it registers itself after the first load), the page's
   * requests go through the worker, where `page.route` no longer sees them.
   */
  serviceWorkers?: 'allow' | 'block'
}

export async function openPage(browser: Browser, options: PageOptions = {}) {
  const context: BrowserContext = await browser.newContext({
    locale: options.locale ?? 'nb-NO',
    timezoneId: 'Europe/Oslo',
    viewport: options.viewport ?? { width: 1280, height: 900 },
    serviceWorkers: options.serviceWorkers ?? 'allow',
  })
  const page = await context.newPage()
  // Upper bounds, not delays: waits end as soon as the page is ready. CI runs two test
  // files at once on two cores, where a page with a browser, the app and the stack
  // each wanting a core can take several seconds for what takes one when idle.
  page.setDefaultTimeout(20_000)
  page.setDefaultNavigationTimeout(30_000)
  watchForFailure(page)
  const foreignRequests: string[] = []
  page.on('request', (request) => {
    const url = request.url()
    if (!allowedOrigins().some(origin => url.startsWith(origin))) foreignRequests.push(url)
  })
  return { context, page, foreignRequests }
}

/** Pages still open, with what their console said last, for a failed test's report. */
const openPages = new Map<Page, string[]>()

function watchForFailure(page: Page) {
  const said: string[] = []
  openPages.set(page, said)
  page.on('console', message => void said.push(`${message.type()}: ${message.text().slice(0, 300)}`))
  page.on('pageerror', error => void said.push(`pageerror: ${error.message.slice(0, 300)}`))
  page.on('response', (response) => {
    if (response.status() < 500) return
    void response.text().catch(() => '').then(body => said.push(`${response.status()} ${response.request().method()} ${response.url().slice(0, 200)} ${body.slice(0, 300)}`))
  })
  page.on('close', () => void openPages.delete(page))
}

// A failed browser test leaves its pages open: say where each was and what it showed and
// logged, and keep a screenshot (test-artifacts/failed-*.png), so a failure in CI explains itself.
// A short form also goes to test-artifacts/failures.txt, which the summary reporter repeats at
// the very end of the run, where a CI log cut to its last lines still shows it.
afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return
  let n = 0
  for (const [page, said] of openPages) {
    n += 1
    const name = `failed-${context.task.name.replace(/[^\w]+/g, '-').slice(0, 60)}-${n}`
    const text = await page.locator('body').innerText({ timeout: 2_000 }).catch(() => '(no text)')
    await screenshot(page, name).catch(() => {})
    console.log(`[${name}] ${page.url()}\n${text.slice(0, 1_500)}\n--- console ---\n${said.slice(-20).join('\n')}`)
    const short = [
      `${context.task.file?.name ?? ''} > ${context.task.name.slice(0, 120)}`,
      `  page ${n}: ${page.url().slice(0, 160)}`,
      `  shows: ${text.replace(/\s+/g, ' ').slice(0, 200)}`,
      ...said.slice(-6).map(line => `  ${line.replace(/\s+/g, ' ').slice(0, 200)}`),
    ]
    mkdirSync(artifacts, { recursive: true })
    appendFileSync(resolve(artifacts, 'failures.txt'), `${short.join('\n')}\n`)
  }
})

/** Runs axe-core on the page and fails on any serious or critical violation. */
export async function expectAccessible(page: Page, label: string) {
  await page.addScriptTag({ content: axeSource })
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string, impact: string, help: string, nodes: { target: string[], failureSummary: string }[] }[] }> } }).axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ')).slice(0, 3), details: v.nodes.map(n => n.failureSummary).slice(0, 3) }))
  })
  const serious = violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
  if (serious.length) console.log(JSON.stringify(serious.map(v => v.details), null, 1))
  if (serious.length && process.env.AXE_DEBUG) {
    console.log(await page.evaluate(() => [...document.querySelectorAll('label')].map(l => `${l.htmlFor}:${l.textContent}`).join(' | ') + ' IDS ' + [...document.querySelectorAll('[id]')].map(e => e.id).join(',')))
    for (const v of serious) for (const target of v.targets) console.log(v.id, target, await page.locator(target).first().evaluate(e => e.outerHTML.slice(0, 400)))
  }
  expect(serious, `axe on ${label}`).toEqual([])
}

/** Saves a full-page screenshot to test-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(artifacts, { recursive: true })
  await page.screenshot({ path: resolve(artifacts, `${name}.png`), fullPage: true })
}

/** A service-role client for setting up users and rows the way an administrator would. */
export function adminClient() {
  return createClient(stack.apiUrl, stack.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    // Node 20 has no global WebSocket; supabase-js needs one to build its client.
    realtime: { transport: WebSocket as never },
  })
}

let counter = 0
/** A unique e-mail address for this test run. */
export function uniqueEmail(prefix: string) {
  counter += 1
  return `${prefix}.${Date.now().toString(36)}${counter}@eksempel.no`
}

/** A unique Norwegian mobile number (8 digits starting with 9). */
export function uniquePhone() {
  counter += 1
  return `9${String((Date.now() + counter * 7919) % 10_000_000).padStart(7, '0')}`
}

interface MailboxMessage { kind: 'email' | 'sms', to: string, subject?: string, text: string, html?: string, sentAt: string }

/** Waits for the newest message to an address in the local mailbox. */
export async function waitForMessage(to: string, match: (message: MailboxMessage) => boolean = () => true) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await fetch(`${stack.mailboxUrl}/api/messages?to=${encodeURIComponent(to)}`)
    const messages = await response.json() as MailboxMessage[]
    const found = messages.find(match)
    if (found) return found
    await new Promise(r => setTimeout(r, 200))
  }
  throw new Error(`No message to ${to} arrived in the local mailbox.`)
}

/** The first link in a message's text that starts with the given prefix. */
export function linkIn(message: MailboxMessage, prefix: string) {
  const links = `${message.text}\n${message.html ?? ''}`.match(/https?:\/\/[^\s"'<>]+/g) ?? []
  const link = links.map(l => l.replace(/&amp;/g, '&')).find(l => l.startsWith(prefix))
  if (!link) throw new Error(`No link starting with ${prefix} in the message: ${message.text}`)
  return link
}

/** Waits until Vue has taken over the page, so typing and clicking reach its handlers. */
export async function waitForApp(page: Page) {
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
}

/** Opens a path of the app and waits until it is interactive. */
export async function visit(page: Page, path: string) {
  const response = await page.goto(`${app.url}${path}`)
  await waitForApp(page)
  return response
}

/**
 * Waits until a sign-in has landed: signing in goes on to "/", which sends the person home, so a
 * test that opens its next address before that may race the app's own navigation.
 */
export async function waitForHome(page: Page) {
  await page.waitForURL(url => url.pathname !== '/' && !url.pathname.startsWith('/sign-in'))
  await waitForApp(page)
}

/** Signs in through the sign-in page with an e-mail address or phone number. */
export async function signIn(page: Page, identifier: string, password: string) {
  await visit(page, '/sign-in')
  await page.getByTestId('identifier').fill(identifier)
  await page.getByTestId('password').fill(password)
  await page.getByTestId('sign-in-submit').click()
}
