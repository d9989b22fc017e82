import type { StackContext } from '../context.ts'
import { sendJson } from '../http.ts'
import type { Service } from '../server.ts'

/** PostgREST stand-in under /rest/v1. */
export function createRestService(_ctx: StackContext): Service {
  return {
    prefix: '/rest/v1',
    async handle(_req, res) {
      sendJson(res, 404, { code: 'PGRST000', message: 'Not implemented yet', details: null, hint: null })
    },
  }
}
