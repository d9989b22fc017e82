// GET /api/residents/:id/export — the whole life story as a ZIP, for the
// primary contact and org admins: book.html (printable, offline), the photos
// and videos in full size with their captions, and data.json. It streams as
// the files are read; the database records the export in the audit trail.
import { Readable } from 'node:stream'
import { serverSupabaseClient, serverSupabaseUser } from '#supabase/server'
import { ExportRefusal, exportFileName, exportZip, readExportData } from '../../../utils/privacy/export'

export default defineEventHandler(async (event) => {
  const user = await serverSupabaseUser(event).catch(() => null)
  if (!user) throw createError({ statusCode: 401, statusMessage: 'Sign in to download.', data: { reason: 'not_signed_in' } })
  // A uuid in capitals is the same resident; stored paths use the lower-case form.
  const residentId = (getRouterParam(event, 'id') ?? '').toLowerCase()
  const client = await serverSupabaseClient(event)
  const data = await readExportData(client, residentId).catch((error) => {
    if (error instanceof ExportRefusal) {
      throw createError({ statusCode: error.status, statusMessage: 'Export refused', message: error.message, data: { reason: error.reason } })
    }
    console.error(`export of resident ${residentId} failed: ${(error as Error).message}`)
    throw createError({ statusCode: 503, statusMessage: 'Export failed', data: { reason: 'export_failed' } })
  })
  const locale = getQuery(event).lang === 'en' ? 'en' : 'nb'
  const name = exportFileName(data)
  setResponseHeaders(event, {
    'content-type': 'application/zip',
    'content-disposition': `attachment; filename="minnespor-export.zip"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'cache-control': 'no-store',
  })
  const stream = Readable.from(exportZip(client, data, locale))
  stream.on('error', error => console.error(`export of resident ${residentId} broke off: ${error.message}`))
  return sendStream(event, stream)
})
