/** A table as pgoutput describes it before its first change (and after every schema change). */
export interface Relation {
  oid: number
  schema: string
  table: string
  /** d = default (primary key), n = nothing, f = full, i = index. */
  replicaIdentity: string
  columns: { name: string, typeOid: number, isKey: boolean }[]
}

/** Column values in Postgres' text format; an unchanged TOASTed value is left out. */
export type Tuple = Record<string, string | null>

/** One row change of a committed transaction. */
export type Change
  = | { kind: 'insert', relation: Relation, record: Tuple }
    | { kind: 'update', relation: Relation, record: Tuple, old?: Tuple }
    | { kind: 'delete', relation: Relation, old: Tuple }

/** One committed transaction's changes, in order. */
export interface Transaction {
  commitTime: Date
  endLsn: bigint
  changes: Change[]
}

const POSTGRES_EPOCH_MS = 946_684_800_000

class Reader {
  private offset = 0
  constructor(private readonly buf: Buffer) {}

  /** Moves past `n` bytes and returns where they start. */
  private take(n: number) {
    const at = this.offset
    this.offset += n
    return at
  }

  byte() { return this.buf.readUInt8(this.take(1)) }
  int16() { return this.buf.readInt16BE(this.take(2)) }
  int32() { return this.buf.readInt32BE(this.take(4)) }
  uint32() { return this.buf.readUInt32BE(this.take(4)) }
  int64() { return this.buf.readBigInt64BE(this.take(8)) }
  text(n: number) { return this.buf.toString('utf8', this.take(n), this.offset) }

  string() {
    const end = this.buf.indexOf(0, this.offset)
    return this.buf.toString('utf8', this.take(end + 1 - this.offset), end)
  }
}

/** Microseconds since 2000-01-01 (Postgres' epoch) to a Date. */
export function postgresTime(micros: bigint) {
  return new Date(Number(micros / 1000n) + POSTGRES_EPOCH_MS)
}

/**
 * Decodes pgoutput (protocol version 1) messages into whole transactions.
 * Values stay text: the database itself types them later (see realtime_change).
 */
export class PgoutputDecoder {
  private relations = new Map<number, Relation>()
  private current?: { changes: Change[] }

  /** Feeds one message; returns a transaction when this message was its COMMIT. */
  decode(data: Buffer): Transaction | undefined {
    const r = new Reader(data)
    const tag = String.fromCharCode(r.byte())
    switch (tag) {
      case 'B':
        this.current = { changes: [] }
        return undefined
      case 'R':
        this.readRelation(r)
        return undefined
      case 'I': {
        const relation = this.relation(r.uint32())
        r.byte() // 'N'
        this.current?.changes.push({ kind: 'insert', relation, record: this.readTuple(r, relation) })
        return undefined
      }
      case 'U': {
        const relation = this.relation(r.uint32())
        const marker = String.fromCharCode(r.byte())
        let old: Tuple | undefined
        if (marker === 'K' || marker === 'O') {
          old = this.readTuple(r, relation, marker === 'K')
          r.byte() // 'N'
        }
        const record = this.readTuple(r, relation, false, old)
        this.current?.changes.push({ kind: 'update', relation, record, old })
        return undefined
      }
      case 'D': {
        const relation = this.relation(r.uint32())
        const marker = String.fromCharCode(r.byte())
        this.current?.changes.push({ kind: 'delete', relation, old: this.readTuple(r, relation, marker === 'K') })
        return undefined
      }
      case 'C': {
        r.byte() // flags
        r.int64() // commit LSN
        const endLsn = r.int64()
        const commitTime = postgresTime(r.int64())
        const changes = this.current?.changes ?? []
        this.current = undefined
        return { commitTime, endLsn, changes }
      }
      default:
        // Origin, Type, Truncate and logical messages carry nothing realtime sends.
        return undefined
    }
  }

  private relation(oid: number) {
    const relation = this.relations.get(oid)
    if (!relation) throw new Error(`pgoutput sent a change for relation ${oid} before describing it`)
    return relation
  }

  private readRelation(r: Reader) {
    const oid = r.uint32()
    const schema = r.string() || 'pg_catalog'
    const table = r.string()
    const replicaIdentity = String.fromCharCode(r.byte())
    const count = r.int16()
    const columns = []
    for (let i = 0; i < count; i++) {
      const isKey = (r.byte() & 1) === 1
      const name = r.string()
      const typeOid = r.uint32()
      r.int32() // type modifier
      columns.push({ name, typeOid, isKey })
    }
    this.relations.set(oid, { oid, schema, table, replicaIdentity, columns })
  }

  /** `unchanged` (the old row under REPLICA IDENTITY FULL) fills values pgoutput leaves out as unchanged TOAST. */
  private readTuple(r: Reader, relation: Relation, keyOnly = false, unchanged?: Tuple): Tuple {
    const tuple: Tuple = {}
    const count = r.int16()
    for (let i = 0; i < count; i++) {
      const column = relation.columns[i]
      const kind = String.fromCharCode(r.byte())
      let value: string | null | undefined
      if (kind === 't') value = r.text(r.int32())
      else if (kind === 'n') value = null
      else if (kind === 'b') throw new Error('pgoutput sent a binary value; the stack asks for text only')
      // 'u' = unchanged TOASTed value: pgoutput does not resend it; without an old row it is left out.
      if (kind === 'u' && column && unchanged && column.name in unchanged) value = unchanged[column.name]
      if (value === undefined || !column) continue
      if (keyOnly && !column.isKey) continue
      tuple[column.name] = value
    }
    return tuple
  }
}
