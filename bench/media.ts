// `npm run bench:media`: time and bytes to process a 12-megapixel phone photo on
// the server (sniff, decode, turn upright, strip, three encodes) and to store it
// as a relative in a throwaway local stack (RLS check, three uploads, the row).
// Uses the real iPhone HEIC and a 13 MP Android JPEG from shared/fixtures/media
// when present, else a made-up 4000 × 3000 JPEG. Prints a table of medians.
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createClient } from '@supabase/supabase-js'
import pg from 'pg'
import sharp from 'sharp'
import WebSocket from 'ws'
import { loadConfig } from '../local-stack/src/config.ts'
import { signJwt } from '../local-stack/src/jwt.ts'
import { startStack } from '../local-stack/src/stack.ts'
import { freePort } from '../tests/setup/app-server.ts'
import { processMedia } from '../server/utils/media/pipeline.ts'
import { storeUpload } from '../server/utils/media/store.ts'

const runs = Number(process.env.BENCH_RUNS ?? 3)
const fixtures = resolve(import.meta.dirname, '../../shared/fixtures/media')

async function madeUpPhoto() {
  const noise = { background: '#808080', noise: { type: 'gaussian' as const, mean: 128, sigma: 40 } }
  return sharp({ create: { width: 4000, height: 3000, channels: 3, ...noise } })
    .blur(1.2).jpeg({ quality: 90 }).toBuffer()
}

async function photos(): Promise<[string, Buffer][]> {
  if (!existsSync(fixtures)) return [['made-up 12 MP JPEG', await madeUpPhoto()]]
  return [
    ['iPhone 7 HEIC, 12 MP', readFileSync(join(fixtures, 'heic/iphone7-gps.heic'))],
    ['OPPO JPEG, 13 MP', readFileSync(join(fixtures, 'names/Bestemor på hytta – Ål, sommar 2015 (æøå ÆØÅ).jpg'))],
  ]
}

function median(values: number[]) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`

/** A throwaway stack with one resident and one relative who may upload. */
async function stackWithRelative() {
  const dataDir = mkdtempSync(join(tmpdir(), 'minnespor-bench-media-'))
  process.env.STACK_QUIET = '1'
  const stack = await startStack({
    ...loadConfig({
      ...process.env, STACK_DATA_DIR: dataDir, DATABASE_URL: '',
      STACK_API_PORT: String(await freePort()), STACK_MAILBOX_PORT: String(await freePort()), STACK_PG_PORT: String(await freePort()),
    }),
    logRequests: false,
  })
  const stop = async () => {
    await stack.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
  const [org, unit, resident, relative] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()]
  const db = new pg.Client({ connectionString: stack.dbUrl })
  try {
    await db.connect()
    await db.query(`insert into public.organisations (id, name) values ($1, 'Benk kommune')`, [org])
    await db.query(`insert into public.units (id, organisation_id, name) values ($1, $2, 'Solsiden')`, [unit, org])
    await db.query(`insert into public.residents (id, unit_id, display_name) values ($1, $2, 'Ingrid Bakken')`, [resident, unit])
    await db.query(`insert into auth.users (id, aud, role, email, created_at, updated_at, email_confirmed_at)
    values ($1, 'authenticated', 'authenticated', 'datter@bench.minnespor.no', now(), now(), now())`, [relative])
    await db.query(`insert into public.resident_members (resident_id, user_id, role, relationship)
    values ($1, $2, 'relative', 'datter')`, [resident, relative])
    await db.query(`insert into public.legal_acceptances (user_id, document_id) select $1, id from public.legal_documents`, [relative])
  }
  catch (error) {
    await stop()
    throw error
  }
  finally {
    await db.end()
  }
  const iat = Math.floor(Date.now() / 1000)
  const token = await signJwt(stack.secrets.jwtSecret, { sub: relative, role: 'authenticated', aud: 'authenticated', iat, exp: iat + 3600 })
  const client = createClient(stack.apiUrl, stack.secrets.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
    global: { headers: { Authorization: `Bearer ${token}` } },
  })
  return {
    client, resident,
    stop,
  }
}

async function main() {
  const stack = await stackWithRelative()
  try {
    for (const [name, bytes] of await photos()) {
      const processing: number[] = []
      const storing: number[] = []
      let sizes = { original: 0, display: 0, thumbnail: 0, width: 0, height: 0 }
      for (let run = 0; run < runs; run++) {
        const started = performance.now()
        const media = await processMedia(bytes)
        processing.push(performance.now() - started)
        sizes = { original: media.original.bytes.length, display: media.display!.bytes.length,
          thumbnail: media.thumbnail.bytes.length, width: media.width, height: media.height }
        const storeStarted = performance.now()
        await storeUpload(stack.client, { residentId: stack.resident, fileName: `${name}.jpg` }, bytes)
        storing.push(performance.now() - storeStarted)
      }
      console.log(`\n${name} (${sizes.width} × ${sizes.height}, ${kb(bytes.length)} uploaded)`)
      console.log(`  process on the server      ${median(processing).toFixed(0)} ms (median of ${runs})`)
      console.log(`  process + store as user    ${median(storing).toFixed(0)} ms`)
      console.log(`  original (upright, no GPS) ${kb(sizes.original)}`)
      console.log(`  display size (≤1600 px)    ${kb(sizes.display)}   target < 400 KB`)
      console.log(`  thumbnail (≤400 px)        ${kb(sizes.thumbnail)}   target < 40 KB`)
    }
  }
  finally {
    await stack.stop()
  }
}

await main()
