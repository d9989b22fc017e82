import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { StackContext } from './context.ts'
import { applyCors, sendJson } from './http.ts'
import { log, logProblem } from './log.ts'

/** One API service behind the gateway, e.g. auth under /auth/v1. */
export interface Service {
  prefix: string
  /** Handles a request whose path has the prefix removed (always starting with '/'). */
  handle(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void>
  /** Takes a WebSocket upgrade under the prefix (realtime). */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, path: string, url: URL): void
  close?(): Promise<void>
}

export type ServiceFactory = (ctx: StackContext) => Service | Promise<Service>

function findService(services: Service[], pathname: string) {
  for (const service of services) {
    if (pathname === service.prefix || pathname.startsWith(`${service.prefix}/`)) {
      return { service, path: pathname.slice(service.prefix.length) || '/' }
    }
  }
  return undefined
}

/** The single HTTP + WebSocket endpoint that routes to each service, like Kong does. */
export function createGateway(ctx: StackContext, services: Service[]): Server {
  const server = createServer(async (req, res) => {
    const started = performance.now()
    const url = new URL(req.url ?? '/', ctx.apiUrl)
    res.on('finish', () => {
      // A server error is worth a line even from a quiet stack (tests): it explains a failure.
      if (!ctx.config.logRequests && res.statusCode < 500) return
      const line = `${req.method} ${url.pathname} ${res.statusCode} ${(performance.now() - started).toFixed(1)} ms`
      if (res.statusCode >= 500) logProblem('api', line)
      else log('api', line)
    })
    if (applyCors(req, res)) {
      res.writeHead(204).end()
      return
    }
    const found = findService(services, url.pathname)
    if (!found) {
      sendJson(res, 404, { message: 'no Route matched with those values' })
      return
    }
    try {
      await found.service.handle(req, res, found.path, url)
    }
    catch (error) {
      logProblem('api', `${req.method} ${url.pathname} failed: ${(error as Error).message}`)
      if (!res.headersSent) sendJson(res, 500, { message: 'An unexpected error occurred in the local stack' })
      else res.end()
    }
  })
  server.keepAliveTimeout = 65_000

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', ctx.apiUrl)
    const found = findService(services, url.pathname)
    if (!found?.service.upgrade) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')
      return
    }
    found.service.upgrade(req, socket, head, found.path, url)
  })
  return server
}
