import type { ServiceFactory } from './server.ts'
import { createAuthService } from './auth/service.ts'
import { createRestService } from './rest/service.ts'
import { createStorageService } from './storage/service.ts'
import { createRealtimeService } from './realtime/service.ts'

/** The services behind the gateway, in routing order. */
export const services: ServiceFactory[] = [
  createAuthService,
  createRestService,
  createStorageService,
  createRealtimeService,
]
