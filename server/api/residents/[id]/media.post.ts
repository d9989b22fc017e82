// Uploads one photo or video for a resident (the app sends files one by one,
// for per-file progress, cancel and retry). The pipeline decides what the file
// is; RLS decides, with the uploader's own token, whether they may add it. Only
// the pipeline's output is written to storage, with the server's secret key:
// nobody may write resident media files directly (see store.ts).
// Refusals answer 4xx with a reason code the app translates (album.refused.*).
import { serverSupabaseClient, serverSupabaseServiceRole, serverSupabaseUser } from '#supabase/server'
import { MediaRefusal } from '../../../utils/media/sniff'
import { maxPosterBytes, maxUploadBytes } from '../../../utils/media/pipeline'
import { readUpload } from '../../../utils/media/multipart'
import { storeUpload, type UploadDetails } from '../../../utils/media/store'

function detailsFrom(residentId: string, uploaderId: string, fileName: string, fields: Record<string, string>): UploadDetails {
  const year = Number.parseInt(fields.takenYear ?? '', 10)
  return {
    residentId, fileName, uploaderId, uploadKey: fields.uploadKey || null,
    albumId: fields.albumId || null,
    caption: fields.caption?.slice(0, 2000) || null,
    takenYear: Number.isFinite(year) && year >= 1850 && year <= 2100 ? year : null,
    place: fields.place?.slice(0, 200) || null,
    showsLivingPeople: fields.showsLivingPeople === 'true',
    consentConfirmed: fields.consentConfirmed === 'true',
  }
}

export default defineEventHandler(async (event) => {
  const user = await serverSupabaseUser(event).catch(() => null)
  if (!user) throw createError({ statusCode: 401, statusMessage: 'Sign in to add photos.', data: { reason: 'not_signed_in' } })
  // A uuid in capitals is the same resident; stored paths use the lower-case form.
  const residentId = (getRouterParam(event, 'id') ?? '').toLowerCase()
  try {
    const upload = await readUpload(event.node.req, maxUploadBytes, maxPosterBytes)
    const clients = { uploader: await serverSupabaseClient(event), files: serverSupabaseServiceRole(event) }
    const details = detailsFrom(residentId, String(user.sub), upload.fileName, upload.fields)
    const { created, ...stored } = await storeUpload(clients, details, upload.bytes, upload.poster)
    // 200 for a retry of a file that had arrived: the app treats both as stored.
    setResponseStatus(event, created ? 201 : 200)
    return stored
  }
  catch (error) {
    if (error instanceof MediaRefusal) {
      throw createError({ statusCode: error.status, statusMessage: 'Upload refused', message: error.message, data: { reason: error.reason } })
    }
    console.error('media upload failed', error)
    throw createError({ statusCode: 503, statusMessage: 'Upload failed', message: 'The upload failed; please try again.', data: { reason: 'storage_failed' } })
  }
})
