import type { StackContext } from '../context.ts'
import { sendJson } from '../http.ts'
import type { Service } from '../server.ts'

/** Realtime stand-in under /realtime/v1 (WebSocket and broadcast REST API). */
export function createRealtimeService(_ctx: StackContext): Service {
  return {
    prefix: '/realtime/v1',
    async handle(_req, res) {
      sendJson(res, 404, { message: 'Not implemented yet' })
    },
  }
}
