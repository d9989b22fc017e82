// The export's photo files as a family unpacks them: the upload turns a HEIC
// photo into JPEG and a still GIF into PNG, so the file in the ZIP must carry
// the stored file's extension, not the one the phone gave it, or it will not
// open. Names that try to leave the folder stay inside photos/.
import { beforeAll, describe, expect, it } from 'vitest'
import sharp from 'sharp'
import { storeUpload } from '../../server/utils/media/store'
import { exportZip, readExportData } from '../../server/utils/privacy/export'
import { createWorld, serverClient, type World } from '../access/fixtures'
import { fixture, fixturesExist } from '../media/support'
import { readZip } from '../privacy/zip-reader'

let world: World

beforeAll(async () => {
  world = await createWorld('Eksportnavn')
})

async function upload(fileName: string, bytes: Buffer) {
  // As the upload route does it: permission as the uploader, files with the server's key.
  const clients = { uploader: await world.client('relative'), files: serverClient() }
  return storeUpload(clients, { residentId: world.residentId, fileName, uploaderId: world.users.relative,
    uploadKey: null, albumId: null, caption: fileName, takenYear: null, place: null,
    showsLivingPeople: false, consentConfirmed: false }, bytes)
}

async function exportedNames() {
  const client = await world.client('primaryContact')
  const data = await readExportData(client, world.residentId)
  const chunks: Uint8Array[] = []
  for await (const chunk of exportZip(client, data)) chunks.push(chunk)
  return [...readZip(Buffer.concat(chunks)).keys()].filter(name => name.startsWith('photos/'))
}

describe('photo files in the export', { timeout: 60_000 }, () => {
  it('carry the extension of what is stored, whatever the phone named them', async () => {
    const stillGif = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#2a6' } }).gif().toBuffer()
    await upload('Juletre.gif', stillGif)
    await upload('../../Hytta på Ål.JPEG', await sharp({ create: { width: 30, height: 20, channels: 3, background: '#a62' } }).jpeg().toBuffer())
    if (fixturesExist) await upload('iPhone bilde.HEIC', fixture('heic/iphone7-gps.heic'))
    else console.log('media fixtures absent: the HEIC case is left out')

    const names = await exportedNames()
    expect(names.find(n => n.includes('Juletre'))).toMatch(/^photos\/\d{3} Juletre\.png$/)
    expect(names.find(n => n.includes('Hytta'))).toMatch(/^photos\/\d{3} Hytta på Ål\.jpg$/)
    if (fixturesExist) expect(names.find(n => n.includes('iPhone'))).toMatch(/^photos\/\d{3} iPhone bilde\.jpg$/)
    for (const name of names) expect(name.split('/').length).toBe(2)
  })
})
