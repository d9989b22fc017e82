import { beforeAll, describe, expect, it } from 'vitest'
import { actors, createWorld, rowExists, type Actor, type World } from './fixtures.ts'

export const commands = ['select', 'insert', 'update', 'delete'] as const
export type Command = typeof commands[number]
type Row = Record<string, unknown>

/** One table's row of the access matrix: how to make rows, and who may do what. */
export interface TableSpec {
  table: string
  /** Inserts (as `postgres`) a row of "their" resident written by someone else; returns its key. */
  existingRow(world: World, command: Command): Promise<Row>
  /** A row the actor tries to insert as themselves (inserted by them, so it may need setup). */
  newRow(world: World, actor: Actor): Promise<{ row: Row, key: Row }>
  /** The change the actor tries to make to an existing row (a function gives each cell its own values). */
  patch: Row | (() => Row)
  allowed: Record<Command, readonly Actor[]>
}

/** Runs one cell: the actor tries the command; the database is then checked past RLS. */
async function runCell(spec: TableSpec, world: World, actor: Actor, command: Command, allowed: boolean) {
  const client = await world.client(actor)
  const from = () => client.from(spec.table)
  if (command === 'select') {
    const key = await spec.existingRow(world, command)
    const { data, error } = await from().select('*').match(key)
    expect(error).toBeNull()
    expect(data).toHaveLength(allowed ? 1 : 0)
  }
  else if (command === 'insert') {
    const { row, key } = await spec.newRow(world, actor)
    const { error } = await from().insert(row)
    if (allowed) expect(error).toBeNull()
    expect(await rowExists(spec.table, key)).toBe(allowed)
  }
  else if (command === 'update') {
    const key = await spec.existingRow(world, command)
    const patch = typeof spec.patch === 'function' ? spec.patch() : spec.patch
    const { error } = await from().update(patch).match(key)
    if (allowed) expect(error).toBeNull()
    expect(await rowExists(spec.table, { ...key, ...patch })).toBe(allowed)
    expect(await rowExists(spec.table, key)).toBe(true)
  }
  else {
    const key = await spec.existingRow(world, command)
    const { error } = await from().delete().match(key)
    if (allowed) expect(error).toBeNull()
    expect(await rowExists(spec.table, key)).toBe(!allowed)
  }
}

/** Describes every actor × command cell of the given tables against one fresh world. */
export function describeMatrix(title: string, specs: TableSpec[]) {
  describe(title, () => {
    let world: World
    beforeAll(async () => {
      world = await createWorld(title)
    })

    for (const spec of specs) {
      describe(spec.table, () => {
        for (const command of commands) {
          for (const actor of actors) {
            const allowed = spec.allowed[command].includes(actor)
            it(`${actor} ${allowed ? 'can' : 'cannot'} ${command}`, () =>
              runCell(spec, world, actor, command, allowed))
          }
        }
      })
    }
  })
}
