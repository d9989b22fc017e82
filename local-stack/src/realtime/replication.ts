import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { log } from '../log.ts'
import { PgoutputDecoder, type Transaction } from './pgoutput.ts'

/** Every slot the stack creates starts with this, so leftovers can be recognised. */
export const slotPrefix = 'local_stack_realtime_'

interface ReplicationConnection {
  on(event: 'copyData', listener: (msg: { chunk: Buffer }) => void): void
  once(event: 'replicationStart', listener: () => void): void
  sendCopyFromChunk(chunk: Buffer): void
}

/**
 * Streams committed transactions from Postgres over logical replication
 * (pgoutput), through a temporary slot that Postgres drops when this
 * connection ends, so a crashed run leaves nothing behind. Transactions are
 * handed over one at a time, in commit order; the slot is told a transaction is
 * done only after it was handled.
 */
export class ChangeStream {
  private client?: pg.Client
  private connection?: ReplicationConnection
  private stopped = false
  private queue: Transaction[] = []
  private draining = false
  private doneLsn = 0n
  private restartTimer?: NodeJS.Timeout

  constructor(
    private readonly url: string,
    private readonly publications: string[],
    private readonly handle: (tx: Transaction) => Promise<void>,
  ) {}

  /** Connects, creates the slot and resolves once changes flow. */
  async start() {
    const client = new pg.Client({ connectionString: this.url, replication: 'database' } as pg.ClientConfig)
    this.client = client
    client.on('error', error => this.restart(error))
    await client.connect()

    const slot = `${slotPrefix}${randomBytes(6).toString('hex')}`
    await client.query(`CREATE_REPLICATION_SLOT ${slot} TEMPORARY LOGICAL pgoutput (SNAPSHOT 'nothing')`)

    const connection = (client as unknown as { connection: ReplicationConnection }).connection
    this.connection = connection
    const decoder = new PgoutputDecoder()
    connection.on('copyData', ({ chunk }) => this.receive(chunk, decoder, connection))
    const started = new Promise<void>(resolve => connection.once('replicationStart', resolve))
    const names = this.publications.map(p => `"${p}"`).join(',')
    client.query(`START_REPLICATION SLOT ${slot} LOGICAL 0/0 (proto_version '1', publication_names '${names}')`)
      .then(() => this.restart(new Error('the replication stream ended')), error => this.restart(error))
    await started
  }

  async stop() {
    this.stopped = true
    clearTimeout(this.restartTimer)
    await this.client?.end().catch(() => {})
  }

  private receive(chunk: Buffer, decoder: PgoutputDecoder, connection: ReplicationConnection) {
    if (chunk[0] === 0x77) { // XLogData: start, end, send time, then one pgoutput message
      const tx = decoder.decode(chunk.subarray(25))
      if (tx) {
        this.queue.push(tx)
        void this.drain(connection)
      }
    }
    else if (chunk[0] === 0x6B && chunk[17] === 1) { // keepalive that asks for an answer
      this.acknowledge(connection)
    }
  }

  private async drain(connection: ReplicationConnection) {
    if (this.draining) return
    this.draining = true
    while (this.queue.length > 0 && !this.stopped) {
      const tx = this.queue.shift()!
      try {
        await this.handle(tx)
      }
      catch (error) {
        log('realtime', `a committed transaction could not be delivered: ${(error as Error).message}`)
      }
      this.doneLsn = tx.endLsn
      this.acknowledge(connection)
    }
    this.draining = false
  }

  private acknowledge(connection: ReplicationConnection) {
    // After a reconnect, the old connection's late acknowledgements have nowhere to go.
    if (this.stopped || connection !== this.connection) return
    const status = Buffer.alloc(34)
    status[0] = 0x72 // standby status update
    status.writeBigInt64BE(this.doneLsn, 1)
    status.writeBigInt64BE(this.doneLsn, 9)
    status.writeBigInt64BE(this.doneLsn, 17)
    status.writeBigInt64BE(BigInt(Date.now() - 946_684_800_000) * 1000n, 25)
    connection.sendCopyFromChunk(status)
  }

  /** A lost replication connection (e.g. Postgres restarted under us) is re-established after a pause. */
  private restart(error: Error) {
    if (this.stopped || this.restartTimer) return
    log('realtime', `replication stopped (${error.message}); reconnecting in 1 s`)
    const old = this.client
    this.client = undefined
    this.connection = undefined
    old?.end().catch(() => {})
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined
      this.start().catch(e => this.restart(e as Error))
    }, 1000)
  }
}
