import { RestError } from './errors.ts'
import { relationKey, type ForeignKey, type Relation, type Routine, type SchemaCache } from './schema.ts'

/** How an embedded resource joins its parent: column pairs, or a junction table for many-to-many. */
export interface Relationship {
  target: Relation
  cardinality: 'many-to-one' | 'one-to-many' | 'one-to-one' | 'many-to-many'
  toOne: boolean
  /** [parent column, target column] pairs for direct relationships. */
  pairs: [string, string][]
  junction?: { relation: Relation, parentPairs: [string, string][], targetPairs: [string, string][] }
  /** A function of the parent's row that returns the target's rows (a computed relationship). */
  computed?: Routine
  name: string
}

function sameColumns(a: string[], b: string[]) {
  return a.length === b.length && a.every(c => b.includes(c))
}

function direct(parent: Relation, fk: ForeignKey, outgoing: boolean): Relationship {
  if (outgoing) {
    return {
      target: fk.to, cardinality: 'many-to-one', toOne: true, name: fk.name,
      pairs: fk.columns.map((c, i) => [c, fk.refColumns[i]]),
    }
  }
  const unique = fk.from.uniqueKeys.some(key => sameColumns(key, fk.columns))
  return {
    target: fk.from, cardinality: unique ? 'one-to-one' : 'one-to-many', toOne: unique, name: fk.name,
    pairs: fk.refColumns.map((c, i) => [c, fk.columns[i]]),
  }
}

function matchesHint(rel: Relationship, parent: Relation, hint: string) {
  if (rel.name === hint || rel.junction?.relation.name === hint) return true
  if (rel.pairs.length === 1) return rel.pairs[0][0] === hint || rel.pairs[0][1] === hint
  return false
}

function candidates(cache: SchemaCache, parent: Relation, name: string): Relationship[] {
  const parentKey = relationKey(parent.schema, parent.name)
  const fn = cache.computed.get(parentKey)?.get(name)
  const returned = fn?.returns === 'composite' && fn.returnsRelation
    ? cache.relations.get(fn.returnsRelation)
    : undefined
  if (fn && returned) {
    const toOne = !fn.returnsSet || fn.rows === 1
    const cardinality = toOne ? 'many-to-one' : 'one-to-many'
    return [{ target: returned, cardinality, toOne, pairs: [], name: fn.name, computed: fn }]
  }
  const keys = cache.foreignKeys.get(parentKey) ?? []
  const target = cache.relations.get(relationKey(parent.schema, name))
  const found: Relationship[] = []
  if (target) {
    for (const fk of keys) {
      if (fk.from === parent && fk.to === target) found.push(direct(parent, fk, true))
      if (fk.to === parent && fk.from === target) found.push(direct(parent, fk, false))
    }
    for (const toParent of keys) {
      const junction = toParent.from
      if (toParent.to !== parent || junction === parent || junction === target) continue
      for (const toTarget of cache.foreignKeys.get(relationKey(junction.schema, junction.name)) ?? []) {
        if (toTarget === toParent || toTarget.from !== junction || toTarget.to !== target) continue
        found.push({
          target,
          cardinality: 'many-to-many',
          toOne: false,
          pairs: [],
          name: `${toParent.name},${toTarget.name}`,
          junction: {
            relation: junction,
            parentPairs: toParent.columns.map((c, i) => [c, toParent.refColumns[i]]),
            targetPairs: toTarget.columns.map((c, i) => [c, toTarget.refColumns[i]]),
          },
        })
      }
    }
    return found
  }
  // Without a table of that name, the target may be named by a foreign key column or constraint.
  for (const fk of keys) {
    const named = fk.name === name || sameColumns(fk.columns, [name])
    if (fk.from === parent && named) found.push(direct(parent, fk, true))
    else if (fk.to === parent && fk.name === name) found.push(direct(parent, fk, false))
  }
  // A key column or constraint name means the base table, not the views over it.
  const tables = found.filter(rel => rel.target.kind === 'table')
  return tables.length === 1 ? tables : found
}

/** Finds the one relationship an embed means, or fails like PostgREST (PGRST200 / PGRST201). */
export function resolveRelationship(
  cache: SchemaCache, parent: Relation, name: string, hint?: string,
): Relationship {
  let found = candidates(cache, parent, name)
  if (hint) found = found.filter(rel => matchesHint(rel, parent, hint))
  if (found.length === 1) return found[0]
  if (found.length === 0) {
    const hinted = hint ? ` using the hint '${hint}'` : ''
    throw new RestError(400, 'PGRST200',
      `Could not find a relationship between '${parent.name}' and '${name}' in the schema cache`,
      `Searched for a foreign key relationship between '${parent.name}' and '${name}'${hinted} `
      + `in the schema '${parent.schema}', but no matches were found.`,
      'Perhaps you meant a different table, or the foreign key is missing.')
  }
  const options = found.map(rel => `'${name}!${rel.junction ? rel.junction.relation.name : rel.name}'`)
  const details = found.map(rel => ({
    cardinality: rel.cardinality,
    embedding: `${parent.name} with ${rel.target.name}`,
    relationship: `${rel.name} using ${parent.name}(${rel.pairs.map(p => p[0]).join(', ')}) `
      + `and ${rel.target.name}(${rel.pairs.map(p => p[1]).join(', ')})`,
  }))
  throw new RestError(300, 'PGRST201',
    `Could not embed because more than one relationship was found for '${parent.name}' and '${name}'`,
    details, `Try changing '${name}' to one of the following: ${options.join(', ')}. `
    + 'Find the desired relationship in the \'details\' key.')
}
