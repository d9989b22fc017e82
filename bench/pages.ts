// `npm run bench:pages`: builds the production server, starts a throwaway local stack with
// the demo data, and loads the resident front page and the unit page in Chromium with a
// phone's network and CPU (Lighthouse's "slow 4G" and 4x CPU slowdown), cold cache.
// Prints largest contentful paint, total blocking time and JavaScript transferred.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { chromium, type Browser, type Page } from 'playwright-core'
import { loadConfig } from '../local-stack/src/config.ts'
import { startStack } from '../local-stack/src/stack.ts'
import { buildApp, freePort, serveApp } from '../tests/setup/app-server.ts'

const root = resolve(import.meta.dirname, '..')
const runs = Number(process.env.BENCH_RUNS ?? 3)

interface Measurement { lcp: number, tbt: number, jsBytes: number, jsFiles: number, jsRequestBytes: number }

async function signedInPage(browser: Browser, appUrl: string, email: string) {
  // A first visit has no service worker yet; one left from sign-in would answer the
  // scripts itself, and the protocol would report them as 0 bytes.
  const context = await browser.newContext({
    locale: 'nb-NO', viewport: { width: 412, height: 823 }, deviceScaleFactor: 2.6, serviceWorkers: 'block',
  })
  const page = await context.newPage()
  await page.goto(`${appUrl}/sign-in`)
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
  await page.getByTestId('identifier').fill(email)
  await page.getByTestId('password').fill('minnespor-demo')
  await page.getByTestId('sign-in-submit').click()
  await page.waitForURL(url => !url.pathname.startsWith('/sign-in'))
  return page
}

/** Loads a path cold under throttling and reads the metrics from the page and the protocol. */
async function measure(page: Page, url: string): Promise<Measurement> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: 1.6 * 1024 * 1024 / 8, uploadThroughput: 750 * 1024 / 8,
  })
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })

  // Each address counts once, as on a real cold load; the last column adds up every
  // request (what this script reported before), so a doubled fetch would show there.
  const scriptUrls = new Map<string, string>()
  const scripts = new Map<string, number>()
  cdp.on('Network.responseReceived', (event) => {
    if (event.type === 'Script') scriptUrls.set(event.requestId, event.response.url)
  })
  let jsRequestBytes = 0
  cdp.on('Network.loadingFinished', (event) => {
    const url = scriptUrls.get(event.requestId)
    if (!url) return
    scripts.set(url, Math.max(scripts.get(url) ?? 0, event.encodedDataLength))
    jsRequestBytes += event.encodedDataLength
  })

  await page.addInitScript(() => {
    const metrics = { lcp: 0, longTasks: [] as number[] }
    Object.assign(window, { __bench: metrics })
    new PerformanceObserver(list => list.getEntries().forEach((entry) => {
      metrics.lcp = entry.startTime
    })).observe({ type: 'largest-contentful-paint', buffered: true })
    new PerformanceObserver(list => list.getEntries().forEach((entry) => {
      metrics.longTasks.push(entry.duration)
    })).observe({ type: 'longtask', buffered: true })
  })
  await page.goto(url, { waitUntil: 'networkidle' })
  await page.waitForTimeout(1500)
  const { lcp, longTasks } = await page.evaluate(() => (window as unknown as { __bench: { lcp: number, longTasks: number[] } }).__bench)
  await cdp.detach()
  const jsBytes = [...scripts.values()].reduce((sum, bytes) => sum + bytes, 0)
  const tbt = longTasks.reduce((sum, duration) => sum + Math.max(0, duration - 50), 0)
  return { lcp, tbt, jsBytes, jsFiles: scripts.size, jsRequestBytes }
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'minnespor-bench-'))
  const config = {
    ...loadConfig({
      ...process.env, STACK_DATA_DIR: dataDir, DATABASE_URL: '',
      STACK_API_PORT: String(await freePort()), STACK_MAILBOX_PORT: String(await freePort()), STACK_PG_PORT: String(await freePort()),
    }),
    logRequests: false,
  }
  process.env.STACK_QUIET = '1'
  const stack = await startStack(config)
  const address = { apiUrl: stack.apiUrl, anonKey: stack.secrets.anonKey, serviceRoleKey: stack.secrets.serviceRoleKey }
  let app: Awaited<ReturnType<typeof serveApp>> | undefined
  let browser: Browser | undefined
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/seed-media.ts'], {
      cwd: root, env: { ...process.env, SUPABASE_URL: stack.apiUrl, SUPABASE_SECRET_KEY: stack.secrets.serviceRoleKey },
    })
    console.log('building the production server …')
    // Its own build folder, so benchmarking never waits for (or disturbs) a test run's build;
    // BENCH_BUILD_DIR gives two people benchmarking at once a folder each.
    const buildRoot = resolve(root, process.env.BENCH_BUILD_DIR ?? join('.data', 'bench-build'))
    await buildApp(address, buildRoot)
    app = await serveApp(address, buildRoot)
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    })

    const pages = [
      { name: 'resident front page', email: 'anne.bakken@demo.minnespor.no' },
      { name: 'unit page', email: 'kari.nordmann@demo.minnespor.no' },
    ]
    console.log(`\n${runs} cold loads each, slow 4G (150 ms, 1.6 Mbit/s), CPU 4x slower; medians:\n`)
    // The last column is what this script reported before it counted each address once.
    console.log('page                  LCP (ms)   TBT (ms)   JS (KB, compressed)   JS files   every request (KB)')
    for (const { name, email } of pages) {
      const page = await signedInPage(browser, app.url, email)
      const landing = page.url()
      const results: Measurement[] = []
      for (let run = 0; run < runs; run++) results.push(await measure(page, landing))
      const row = [
        name.padEnd(20),
        String(Math.round(median(results.map(r => r.lcp)))).padStart(9),
        String(Math.round(median(results.map(r => r.tbt)))).padStart(10),
        (median(results.map(r => r.jsBytes)) / 1024).toFixed(1).padStart(21),
        String(median(results.map(r => r.jsFiles))).padStart(10),
        (median(results.map(r => r.jsRequestBytes)) / 1024).toFixed(1).padStart(20),
      ]
      console.log(row.join('  '))
      await page.context().close()
    }
  }
  finally {
    await browser?.close()
    await app?.stop()
    await stack.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(`bench:pages failed: ${error instanceof Error ? error.message : error}`)
  process.exit(1)
})
