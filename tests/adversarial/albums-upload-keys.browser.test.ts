// Attacks on POST /api/residents/:id/media through HTTP against the built Nuxt server
// ("browser" in the name makes the test setup build and start it): one upload key
// sent from many tabs at once, retries racing a delete and an undo, keys that are
// not uuids, and multipart bodies cut off or malformed on purpose. After each, the
// item's folder holds exactly the files its row names, the row describes the stored
// original, and the answer is a JSON refusal or the item, never a 500 or nothing.
import { randomUUID } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import sharp from 'sharp'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { clientFor, createWorld, db, one, serverClient, type World } from '../access/fixtures'
import { sessionCookie } from '../media/support'
import { tinyMp4 } from '../media/mp4'

const app = inject('app')
let world: World
let cookie: string

beforeAll(async () => {
  world = await createWorld('Albumnøkler')
  cookie = await sessionCookie(world.users.relative)
})

interface Answer { status: number, body: Record<string, unknown> & { id?: string, data?: { reason?: string } } }

async function post(residentId: string, file: Blob, fileName: string, fields: Record<string, string> = {}, as = cookie): Promise<Answer> {
  const form = new FormData()
  for (const [key, value] of Object.entries(fields)) form.append(key, value)
  form.append('file', file, fileName)
  const response = await fetch(`${app.url}/api/residents/${residentId}/media`, { method: 'POST', body: form, headers: { cookie: as } })
  const text = await response.text()
  expect(text, `an answer with a body (status ${response.status})`).not.toBe('')
  return { status: response.status, body: JSON.parse(text) }
}

/** A plain JPEG of the given size, so uploads can be told apart by what is stored. */
const jpeg = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#58a' } }).jpeg().toBuffer()

async function filesIn(id: string) {
  const rows = await db<{ name: string }>(`select name from storage.objects where bucket_id = 'media' and name like $1 order by name`, [`${world.residentId}/media/${id}/%`])
  return rows.rows.map(row => row.name)
}

/** Checks that the folder holds exactly the row's files and that the stored original is what the row says. */
async function expectFolderMatchesRow(id: string) {
  const row = await one('select width, height, storage_path, variants, size_bytes from public.media_items where id = $1', [id])
  expect(row, `a row for ${id}`).toBeDefined()
  const named = [row!.storage_path, ...Object.values(row!.variants as Record<string, string | null>)].filter(Boolean).sort()
  expect(await filesIn(id)).toEqual(named)
  const { data, error } = await serverClient().storage.from('media').download(row!.storage_path)
  expect(error).toBeNull()
  const bytes = Buffer.from(await data!.arrayBuffer())
  const stored = await sharp(bytes).metadata()
  expect([stored.width, stored.height, bytes.length]).toEqual([row!.width, row!.height, Number(row!.size_bytes)])
}

describe('one upload key from many tabs at once', () => {
  it('stores one item from six different files, its folder holding only its own files', async () => {
    const uploadKey = randomUUID()
    const sizes = [[30, 20], [20, 30], [40, 10], [10, 40], [25, 25], [35, 15]] as const
    const files = await Promise.all(sizes.map(([w, h]) => jpeg(w, h)))
    const answers = await Promise.all(files.map((bytes, i) => post(world.residentId, new Blob([bytes]), `fane-${i}.jpg`, { uploadKey })))
    expect(answers.map(a => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201])
    const ids = new Set(answers.map(a => a.body.id))
    expect(ids.size).toBe(1)
    await expectFolderMatchesRow(String(answers[0]!.body.id))
  })

  it('keeps ten files sent twice each, all at once, to one item per file', async () => {
    const keys = Array.from({ length: 10 }, () => randomUUID())
    const bytes = await jpeg(24, 16)
    const answers = await Promise.all(keys.flatMap(uploadKey => [0, 1].map(() =>
      post(world.residentId, new Blob([bytes]), 'mange.jpg', { uploadKey }).then(answer => ({ uploadKey, answer })))))
    for (const uploadKey of keys) {
      const mine = answers.filter(a => a.uploadKey === uploadKey).map(a => a.answer)
      expect(mine.map(a => a.status).sort()).toEqual([200, 201])
      expect(mine[0]!.body.id).toBe(mine[1]!.body.id)
      await expectFolderMatchesRow(String(mine[0]!.body.id))
    }
  })

  it('keeps a video sent from three tabs at once, with and without its poster frame, to one item', async () => {
    const uploadKey = randomUUID()
    const frame = await jpeg(36, 64)
    const send = (withPoster: boolean) => {
      const form = new FormData()
      form.append('uploadKey', uploadKey)
      form.append('file', new Blob([tinyMp4()]), 'film.mp4')
      if (withPoster) form.append('poster', new Blob([frame]), 'poster.jpg')
      return fetch(`${app.url}/api/residents/${world.residentId}/media`, { method: 'POST', body: form, headers: { cookie } })
        .then(async response => ({ status: response.status, body: await response.json() as { id: string } }))
    }
    const answers = await Promise.all([send(true), send(false), send(true)])
    expect(answers.map(a => a.status).sort()).toEqual([200, 200, 201])
    const id = answers[0]!.body.id
    expect(answers.every(a => a.body.id === id)).toBe(true)
    const row = await one('select storage_path, variants, size_bytes from public.media_items where id = $1', [id])
    const named = [row!.storage_path, ...Object.values(row!.variants as Record<string, string | null>)].filter(Boolean).sort()
    expect(await filesIn(id)).toEqual(named)
    const { data } = await serverClient().storage.from('media').download(row!.storage_path)
    expect((await data!.arrayBuffer()).byteLength).toBe(Number(row!.size_bytes))
  })

  it('answers the same item for the key written in capitals and for the resident id in capitals', async () => {
    const uploadKey = randomUUID()
    const first = await post(world.residentId, new Blob([await jpeg(30, 20)]), 'små.jpg', { uploadKey })
    expect(first.status).toBe(201)
    const again = await post(world.residentId.toUpperCase(), new Blob([await jpeg(30, 20)]), 'små.jpg', { uploadKey: uploadKey.toUpperCase() })
    expect(again.status).toBe(200)
    expect(again.body.id).toBe(first.body.id)
    await expectFolderMatchesRow(String(first.body.id))
  })
})

describe('a retry racing a delete and an undo', () => {
  it('never leaves the folder out of step with the row, and gives the item back once undone', async () => {
    const uploadKey = randomUUID()
    const first = await post(world.residentId, new Blob([await jpeg(30, 20)]), 'kappløp.jpg', { uploadKey })
    expect(first.status).toBe(201)
    const id = String(first.body.id)
    const mine = await clientFor(world.users.relative)
    const [retryA, deleted, retryB] = await Promise.all([
      post(world.residentId, new Blob([await jpeg(20, 30)]), 'kappløp.jpg', { uploadKey }),
      mine.rpc('delete_media_item', { media_item: id }),
      post(world.residentId, new Blob([await jpeg(40, 10)]), 'kappløp.jpg', { uploadKey }),
    ])
    expect(deleted.error).toBeNull()
    for (const retry of [retryA, retryB]) {
      expect([200, 410]).toContain(retry.status)
      if (retry.status === 410) expect(retry.body.data?.reason).toBe('removed')
    }
    await expectFolderMatchesRow(id)
    const [undone, retryC] = await Promise.all([
      mine.rpc('restore_media_item', { media_item: id }),
      post(world.residentId, new Blob([await jpeg(10, 40)]), 'kappløp.jpg', { uploadKey }),
    ])
    expect(undone.error).toBeNull()
    expect([200, 410]).toContain(retryC.status)
    const afterUndo = await post(world.residentId, new Blob([await jpeg(10, 40)]), 'kappløp.jpg', { uploadKey })
    expect(afterUndo.status).toBe(200)
    expect(afterUndo.body.id).toBe(id)
    expect(await one('select width, height from public.media_items where id = $1', [id])).toEqual({ width: 30, height: 20 })
    await expectFolderMatchesRow(id)
  })

  it('tells the uploader who deleted their own photo that it was deleted, and stores nothing', async () => {
    const uploadKey = randomUUID()
    const first = await post(world.residentId, new Blob([await jpeg(30, 20)]), 'angret.jpg', { uploadKey })
    const id = String(first.body.id)
    expect((await (await clientFor(world.users.relative)).rpc('delete_media_item', { media_item: id })).error).toBeNull()
    const again = await post(world.residentId, new Blob([await jpeg(30, 20)]), 'angret.jpg', { uploadKey })
    expect(again.status).toBe(410)
    expect(again.body.data?.reason).toBe('removed')
    await expectFolderMatchesRow(id)
  })
})

describe('keys the app would not send', () => {
  it('refuses a key used for another resident without storing anything there', async () => {
    const staffCookie = await sessionCookie(world.users.staff)
    const uploadKey = randomUUID()
    const first = await post(world.residentId, new Blob([await jpeg(30, 20)]), 'første.jpg', { uploadKey }, staffCookie)
    expect(first.status).toBe(201)
    const other = await post(world.otherResidentId, new Blob([await jpeg(30, 20)]), 'andre.jpg', { uploadKey }, staffCookie)
    expect(other.status).toBe(409)
    expect(other.body.data?.reason).toBe('key_reused')
    expect((await db(`select 1 from storage.objects where bucket_id = 'media' and name like $1`, [`${world.otherResidentId}/media/%`])).rowCount).toBe(0)
  })

  it('stores a key that is not a uuid, or is far too long, as a new item each time', async () => {
    for (const uploadKey of ['ikke-en-uuid', `${randomUUID()}x`, 'a'.repeat(100_000), '../../etc/passwd']) {
      const answers = [
        await post(world.residentId, new Blob([await jpeg(30, 20)]), 'rar-nøkkel.jpg', { uploadKey }),
        await post(world.residentId, new Blob([await jpeg(30, 20)]), 'rar-nøkkel.jpg', { uploadKey }),
      ]
      expect(answers.map(a => a.status)).toEqual([201, 201])
      expect(answers[0]!.body.id).not.toBe(answers[1]!.body.id)
      for (const answer of answers) await expectFolderMatchesRow(String(answer.body.id))
    }
  })

  it('gives another user who sends the same key an item of their own', async () => {
    const uploadKey = randomUUID()
    const mine = await post(world.residentId, new Blob([await jpeg(30, 20)]), 'min.jpg', { uploadKey })
    const theirs = await post(world.residentId, new Blob([await jpeg(20, 30)]), 'deres.jpg', { uploadKey }, await sessionCookie(world.users.staff))
    expect([mine.status, theirs.status]).toEqual([201, 201])
    expect(theirs.body.id).not.toBe(mine.body.id)
    await expectFolderMatchesRow(String(mine.body.id))
    await expectFolderMatchesRow(String(theirs.body.id))
  })

  it('keeps huge field values to their limits', async () => {
    const answer = await post(world.residentId, new Blob([await jpeg(30, 20)]), 'x'.repeat(5000) + '.jpg', {
      caption: 'æ'.repeat(50_000), place: '<script>'.repeat(10_000), takenYear: '9'.repeat(400), albumId: 'a'.repeat(3000),
    })
    // An album id that is not one is refused as no such album; nothing is stored.
    expect(answer.status).toBe(404)
    const plain = await post(world.residentId, new Blob([await jpeg(30, 20)]), 'x'.repeat(5000) + '.jpg', {
      caption: 'æ'.repeat(50_000), place: '<script>'.repeat(10_000), takenYear: '9'.repeat(400),
    })
    expect(plain.status).toBe(201)
    const row = await one('select length(caption) as caption, length(place) as place, taken_year, length(file_name) as name from public.media_items where id = $1', [plain.body.id])
    expect(row).toEqual({ caption: 2000, place: 200, taken_year: null, name: 255 })
  })
})

/** Sends raw bytes as the body; `declared` is the Content-Length claimed, `drop` ends the connection instead of waiting. */
function raw(body: Buffer, contentType: string | null, options: { declared?: number, drop?: boolean } = {}) {
  return new Promise<{ status: number, text: string } | 'dropped'>((resolve, reject) => {
    const url = new URL(`${app.url}/api/residents/${world.residentId}/media`)
    const headers: Record<string, string> = { 'cookie': cookie, 'content-length': String(options.declared ?? body.length) }
    if (contentType) headers['content-type'] = contentType
    const req = httpRequest({ host: url.hostname, port: url.port, method: 'POST', path: url.pathname, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on('error', error => options.drop ? resolve('dropped') : reject(error))
    req.write(body)
    if (options.drop) setTimeout(() => (req.destroy(), resolve('dropped')), 300)
    else req.end()
  })
}

const boundary = 'minnespor-angrep'
const part = (name: string, value: string | Buffer, fileName?: string) => Buffer.concat([
  Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"${fileName ? `; filename="${fileName}"` : ''}\r\n${fileName ? 'content-type: image/jpeg\r\n' : ''}\r\n`),
  Buffer.isBuffer(value) ? value : Buffer.from(value), Buffer.from('\r\n'),
])
const end = Buffer.from(`--${boundary}--\r\n`)
const multipart = `multipart/form-data; boundary=${boundary}`

describe('multipart bodies cut off or malformed', () => {
  async function refused(body: Buffer, contentType: string | null, status: number, reason: string) {
    const answer = await raw(body, contentType)
    expect(answer).not.toBe('dropped')
    const { status: got, text } = answer as { status: number, text: string }
    expect(text, `a body for ${reason}`).not.toBe('')
    expect([got, JSON.parse(text).data?.reason]).toEqual([status, reason])
  }

  it('refuses a form cut off inside the file as damaged', async () => {
    const whole = Buffer.concat([part('uploadKey', randomUUID()), part('file', await jpeg(30, 20), 'kuttet.jpg'), end])
    await refused(whole.subarray(0, whole.length - 40), multipart, 400, 'damaged')
  })

  it('refuses a body with a boundary that never comes, an empty body, or none declared', async () => {
    const body = Buffer.concat([part('file', await jpeg(30, 20), 'feil.jpg'), end])
    await refused(body, 'multipart/form-data; boundary=en-annen', 400, 'damaged')
    await refused(Buffer.alloc(0), multipart, 400, 'damaged')
    await refused(body, 'multipart/form-data', 400, 'empty')
    await refused(body, 'application/json', 400, 'empty')
    await refused(body, null, 400, 'empty')
  })

  it('refuses a form with only fields, or with the file under another name', async () => {
    await refused(Buffer.concat([part('caption', 'bare tekst'), part('file', 'ikke en fil'), end]), multipart, 400, 'empty')
    await refused(Buffer.concat([part('bilde', await jpeg(30, 20), 'annet-navn.jpg'), end]), multipart, 400, 'empty')
  })

  it('takes the file after many fields and junk parts, and ignores a second file', async () => {
    const fields = Array.from({ length: 60 }, (_, i) => part(`felt${i}`, 'x'.repeat(100)))
    const body = Buffer.concat([...fields, part('file', await jpeg(30, 20), 'først.jpg'), part('file', await jpeg(20, 30), 'andre.jpg'), end])
    const answer = await raw(body, multipart)
    expect(answer).not.toBe('dropped')
    const { status, text } = answer as { status: number, text: string }
    expect(status).toBe(201)
    const id = JSON.parse(text).id as string
    expect(await one('select width, height from public.media_items where id = $1', [id])).toEqual({ width: 30, height: 20 })
    await expectFolderMatchesRow(id)
  })

  it('survives connections dropped inside the file, storing nothing, and answers the next upload', async () => {
    const uploadKey = randomUUID()
    const head = Buffer.concat([part('uploadKey', uploadKey), part('file', (await jpeg(300, 200)).subarray(0, 500), 'halv.jpg').subarray(0, 400)])
    const dropped = await Promise.all(Array.from({ length: 5 }, () => raw(head, multipart, { declared: 100_000, drop: true })))
    expect(dropped.every(d => d === 'dropped')).toBe(true)
    const answer = await post(world.residentId, new Blob([await jpeg(30, 20)]), 'etterpå.jpg', { uploadKey })
    expect(answer.status).toBe(201)
    await expectFolderMatchesRow(String(answer.body.id))
  })

  it('reads odd part names and file names as data only', async () => {
    const body = Buffer.concat([
      part('__proto__', 'forurenset'), part('constructor', 'x'), part('uploadKey', randomUUID()),
      part('file', await jpeg(30, 20), '../../../etc/passwd.jpg'), end,
    ])
    const answer = await raw(body, multipart)
    expect(answer).not.toBe('dropped')
    const { status, text } = answer as { status: number, text: string }
    expect(status).toBe(201)
    const id = JSON.parse(text).id as string
    expect((await one('select file_name from public.media_items where id = $1', [id]))!.file_name).toBe('passwd.jpg')
    await expectFolderMatchesRow(id)
  })

  it('answers a file name with a control character in its header with a refusal, not a 500', async () => {
    const answer = await raw(Buffer.concat([part('file', await jpeg(30, 20), 'bjelle\u0007.jpg'), end]), multipart)
    expect(answer).not.toBe('dropped')
    const { status, text } = answer as { status: number, text: string }
    expect(text).not.toBe('')
    expect(status === 201 || status === 400).toBe(true)
  })

  it('refuses a part whose headers never end', async () => {
    const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${'x'.repeat(100_000)}.jpg"\r\n\r\n`)
    const answer = await raw(Buffer.concat([head, await jpeg(30, 20), Buffer.from('\r\n'), end]), multipart)
    expect(answer).not.toBe('dropped')
    const { status, text } = answer as { status: number, text: string }
    expect(text).not.toBe('')
    expect(status).toBeLessThan(500)
  })
})

describe('the sweep after all of the above', () => {
  it('lists none of a saved item\'s own files, however old, and every stray one', async () => {
    const uploadKey = randomUUID()
    const answers = await Promise.all([0, 1, 2].map(i => post(world.residentId, new Blob([]), `tom-${i}.jpg`, { uploadKey })))
    // Empty files are refused before anything is stored.
    expect(answers.map(a => [a.status, a.body.data?.reason])).toEqual([[422, 'empty'], [422, 'empty'], [422, 'empty']])
    const saved = await Promise.all([0, 1, 2].map(async i => post(world.residentId, new Blob([await jpeg(30 + i, 20)]), `gammel-${i}.jpg`, { uploadKey })))
    const id = String(saved[0]!.body.id)
    const stray = `${world.residentId}/media/${id}/original-deadbeef.jpg`
    expect((await serverClient().storage.from('media').upload(stray, await jpeg(5, 5), { contentType: 'image/jpeg' })).error).toBeNull()
    await db(`update storage.objects set created_at = now() - interval '2 hours' where bucket_id = 'media' and name like $1`, [`${world.residentId}/%`])
    const { data, error } = await serverClient().rpc('orphaned_media_files', { max_files: 10_000 })
    expect(error).toBeNull()
    const listed = new Set((data as { name: string }[]).map(row => row.name))
    expect(listed.has(stray)).toBe(true)
    const named = await db<{ name: string }>(`select m.storage_path as name from public.media_items m where m.resident_id = $1
      union select v.value from public.media_items m, jsonb_each_text(m.variants) v where m.resident_id = $1 and v.value is not null`, [world.residentId])
    expect(named.rows.length).toBeGreaterThan(10)
    expect(named.rows.filter(row => listed.has(row.name))).toEqual([])
  })
})
