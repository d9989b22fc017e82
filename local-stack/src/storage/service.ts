import type { StackContext } from '../context.ts'
import { sendJson } from '../http.ts'
import type { Service } from '../server.ts'

/** storage-api stand-in under /storage/v1. */
export function createStorageService(_ctx: StackContext): Service {
  return {
    prefix: '/storage/v1',
    async handle(_req, res) {
      sendJson(res, 400, { statusCode: '404', code: 'NotImplemented', error: 'not_found', message: 'Not implemented yet' })
    },
  }
}
