import type pg from 'pg'
import type { StackContext } from '../context.ts'
import type { AuthSettings } from './settings.ts'

/** What every auth route is handed. */
export interface AuthContext {
  stack: StackContext
  settings: AuthSettings
  /** auth tables live with the superuser pool, as GoTrue owns them. */
  db: pg.Pool
  /** The `iss` claim: GoTrue's external URL. */
  issuer: string
}
