import type { StackContext } from '../context.ts'
import { sendJson } from '../http.ts'
import type { Service } from '../server.ts'

/** GoTrue stand-in under /auth/v1. */
export function createAuthService(_ctx: StackContext): Service {
  return {
    prefix: '/auth/v1',
    async handle(_req, res, path) {
      if (path === '/health') return sendJson(res, 200, { version: 'local', name: 'GoTrue', description: 'local stack' })
      sendJson(res, 404, { code: 'not_found', message: 'Not implemented yet' })
    },
  }
}
