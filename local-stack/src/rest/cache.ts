import pg from 'pg'
import { log } from '../log.ts'
import { loadSchemaCache, type SchemaCache } from './schema.ts'

/**
 * Keeps the schema cache current: loaded at start, reloaded on `NOTIFY pgrst`
 * (sent by the DDL event trigger of sql/40-rest.sql, or by hand), and after a miss
 * when the cache is older than the request, so a table made a moment ago is found.
 */
export class SchemaState {
  cache!: SchemaCache
  private loading?: Promise<void>
  private again = false
  /** When the load that made the current cache began. */
  private loadedFrom = 0
  private listener?: pg.Client
  private closed = false

  constructor(
    private readonly pool: pg.Pool,
    private readonly adminUrl: string,
    readonly schemas: string[],
  ) {}

  async start() {
    await this.reload()
    await this.listen()
  }

  /** Reloads now; a request made while a load runs triggers one more load after it. */
  reload(): Promise<void> {
    if (this.loading) {
      this.again = true
      return this.loading
    }
    this.loading = (async () => {
      try {
        do {
          this.again = false
          const startedAt = performance.now()
          this.cache = await loadSchemaCache(this.pool, this.schemas)
          this.loadedFrom = startedAt
        } while (this.again)
      }
      finally {
        this.loading = undefined
      }
    })()
    return this.loading
  }

  /**
   * After a miss by a request that arrived at `since` (performance.now()): loads again
   * unless the cache was read after the request arrived, so a table made just before
   * is found even when its NOTIFY has not come yet. False when the miss is genuine.
   */
  async refreshAfterMiss(since: number): Promise<boolean> {
    if (this.loadedFrom > since) return false
    await this.reload()
    return true
  }

  private async listen() {
    if (this.closed) return
    const client = new pg.Client({ connectionString: this.adminUrl })
    client.on('error', () => {})
    client.on('end', () => this.listenLater())
    client.on('notification', (message) => {
      const payload = message.payload ?? ''
      if (payload === '' || payload === 'reload schema') {
        this.reload().catch((error: Error) => {
          log('rest', `reloading the schema cache failed: ${error.message}`)
        })
      }
    })
    try {
      await client.connect()
      await client.query('listen pgrst')
    }
    catch (error) {
      // Only the caller retries a failed attempt; its client must not schedule another.
      client.removeAllListeners('end')
      await client.end().catch(() => {})
      throw error
    }
    // After a lost connection, changes may have been announced while nobody listened.
    if (this.listener) await this.reload()
    this.listener = client
  }

  /** Tries to listen again in a second, and keeps trying while the database is away. */
  private listenLater() {
    if (this.closed) return
    setTimeout(() => this.listen().catch(() => this.listenLater()), 1000).unref()
  }

  async close() {
    this.closed = true
    await this.listener?.end().catch(() => {})
    await this.loading?.catch(() => {})
  }
}
