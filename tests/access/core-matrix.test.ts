import { randomUUID } from 'node:crypto'
import { acceptTerms, actors, can, createUser, one, type Actor, type World } from './fixtures.ts'
import { describeMatrix, type TableSpec } from './matrix.ts'

// Organisations, units, profiles and memberships. Access itself changes only
// through the RPCs (tested in their own files), so direct writes to the
// membership tables are refused for everybody.
const unique = () => randomUUID().slice(0, 8)
const everybody = actors
// The relative of another resident of the same unit sees the unit and its staff too.
const seesUnit: Actor[] = [...can.read, 'otherRelative']
const seesOrganisation: Actor[] = [...seesUnit, 'otherUnitStaff']

/** Another resident in the same unit with the same family members as "their" resident. */
async function residentLikeTheirs(world: World) {
  const row = await one(`insert into public.residents (unit_id, display_name) values ($1, 'Astrid Holm') returning id`,
    [world.unitId])
  await one(`insert into public.resident_members (resident_id, user_id, role, relationship)
    select $1, user_id, role, relationship from public.resident_members where resident_id = $2`,
  [row!.id, world.residentId])
  return row!.id as string
}

const residents: TableSpec = {
  table: 'residents',
  existingRow: async world => ({ id: await residentLikeTheirs(world) }),
  async newRow(world) {
    const id = randomUUID()
    return { row: { id, unit_id: world.unitId, display_name: 'Nils Berg' }, key: { id } }
  },
  patch: () => ({ introduction: `Jeg heter ${unique()}` }),
  allowed: { select: can.read, insert: can.manageUnit, update: can.contribute, delete: can.nobody },
}

const residentMembers: TableSpec = {
  table: 'resident_members',
  existingRow: async world => ({ resident_id: world.residentId, user_id: world.authorId }),
  async newRow(world, actor) {
    // Granting oneself the strongest role on a profile one has no part in.
    const userId = actor === 'anonymous' ? world.authorId : world.users[actor]
    const key = { resident_id: world.otherResidentId, user_id: userId, role: 'primary_contact' }
    return { row: key, key }
  },
  patch: { role: 'primary_contact' },
  allowed: { select: can.read, insert: can.nobody, update: can.nobody, delete: can.nobody },
}

const units: TableSpec = {
  table: 'units',
  async existingRow(world, command) {
    if (command !== 'delete') return { id: world.unitId }
    const row = await one(`insert into public.units (organisation_id, name) values ($1, 'Tom avdeling') returning id`,
      [world.organisationId])
    return { id: row!.id }
  },
  async newRow(world) {
    const id = randomUUID()
    return { row: { id, organisation_id: world.organisationId, name: 'Ny avdeling' }, key: { id } }
  },
  patch: () => ({ site_name: `Bygg ${unique()}` }),
  allowed: { select: seesUnit, insert: can.orgAdmin, update: can.manageUnit, delete: can.orgAdmin },
}

const unitMembers: TableSpec = {
  table: 'unit_members',
  async existingRow(world) {
    const user = await createUser('nyansatt')
    await one(`insert into public.unit_members (unit_id, user_id, role) values ($1, $2, 'staff')`,
      [world.unitId, user.id])
    return { unit_id: world.unitId, user_id: user.id }
  },
  async newRow(world, actor) {
    const userId = actor === 'anonymous' ? world.authorId : world.users[actor]
    const key = { unit_id: world.otherUnitId, user_id: userId, role: 'leader' }
    return { row: key, key }
  },
  patch: { role: 'leader' },
  allowed: { select: seesUnit, insert: can.nobody, update: can.nobody, delete: can.nobody },
}

const organisations: TableSpec = {
  table: 'organisations',
  existingRow: async world => ({ id: world.organisationId }),
  async newRow() {
    const id = randomUUID()
    return { row: { id, name: 'Egen kommune' }, key: { id } }
  },
  patch: () => ({ name: `Kommune ${unique()}` }),
  allowed: { select: seesOrganisation, insert: can.nobody, update: can.orgAdmin, delete: can.nobody },
}

const organisationAdmins: TableSpec = {
  table: 'organisation_admins',
  async existingRow(world) {
    const user = await createUser('admin')
    await one(`insert into public.organisation_admins (organisation_id, user_id) values ($1, $2)`,
      [world.organisationId, user.id])
    return { organisation_id: world.organisationId, user_id: user.id }
  },
  async newRow(world, actor) {
    const userId = actor === 'anonymous' ? world.authorId : world.users[actor]
    const key = { organisation_id: world.organisationId, user_id: userId }
    return actor === 'orgAdmin'
      ? { row: { ...key, user_id: world.authorId }, key: { ...key, user_id: world.authorId } }
      : { row: key, key }
  },
  patch: { created_at: '2020-01-01T00:00:00+00:00' },
  allowed: { select: can.orgAdmin, insert: can.nobody, update: can.nobody, delete: can.nobody },
}

const people: TableSpec = {
  table: 'people',
  async existingRow(world) {
    const user = await createUser('Berit')
    await one(`insert into public.resident_members (resident_id, user_id, role) values ($1, $2, 'relative')`,
      [world.residentId, user.id])
    return { id: user.id }
  },
  async newRow() {
    const id = randomUUID()
    return { row: { id, display_name: 'Falsk person' }, key: { id } }
  },
  patch: () => ({ display_name: `Navn ${unique()}` }),
  allowed: { select: can.read, insert: can.nobody, update: can.nobody, delete: can.nobody },
}

const invitations: TableSpec = {
  table: 'invitations',
  async existingRow(world) {
    const row = await one(`insert into public.invitations (resident_id, member_role, email, token_hash, created_by)
      values ($1, 'relative', $2, $3, $4) returning id`,
    [world.residentId, `${unique()}@test.minnespor.no`, randomUUID(), world.users.staff])
    return { id: row!.id }
  },
  async newRow(world) {
    const id = randomUUID()
    const row = { id, resident_id: world.residentId, member_role: 'primary_contact', email: 'meg@test.minnespor.no',
      token_hash: randomUUID() }
    return { row, key: { id } }
  },
  patch: { revoked_at: '2026-12-01T12:00:00+00:00' },
  allowed: { select: can.moderate, insert: can.nobody, update: can.nobody, delete: can.nobody },
}

const legalDocuments: TableSpec = {
  table: 'legal_documents',
  existingRow: async () => ({ id: (await one(`select id from public.current_legal_documents limit 1`))!.id }),
  async newRow() {
    const id = randomUUID()
    const row = { id, kind: 'terms', version: 1000 + Math.floor(Math.random() * 1e6), title_nb: 'x', title_en: 'x',
      body_nb: 'x', body_en: 'x', published_at: '2099-01-01T00:00:00+00:00' }
    return { row, key: { id } }
  },
  patch: () => ({ title_en: `Terms ${unique()}` }),
  allowed: { select: everybody, insert: can.nobody, update: can.nobody, delete: can.nobody },
}

const legalAcceptances: TableSpec = {
  table: 'legal_acceptances',
  async existingRow() {
    const user = await createUser('godtatt')
    await acceptTerms(user.id)
    const row = await one(`select document_id from public.legal_acceptances where user_id = $1 limit 1`, [user.id])
    return { user_id: user.id, document_id: row!.document_id }
  },
  async newRow() {
    // Accepting the terms on someone else's behalf.
    const user = await createUser('ikke godtatt')
    const document = await one(`select id from public.current_legal_documents limit 1`)
    const key = { user_id: user.id, document_id: document!.id }
    return { row: key, key }
  },
  patch: { accepted_at: '2020-01-01T00:00:00+00:00' },
  allowed: { select: can.nobody, insert: can.nobody, update: can.nobody, delete: can.nobody },
}

const auditEvents: TableSpec = {
  table: 'audit_events',
  async existingRow(world) {
    const row = await one(`insert into public.audit_events (action, organisation_id, unit_id, resident_id)
      values ('member_removed', $1, $2, $3) returning id`, [world.organisationId, world.unitId, world.residentId])
    return { id: row!.id }
  },
  async newRow(world) {
    const action = `forged_${unique()}`
    return { row: { action, resident_id: world.residentId, unit_id: world.unitId }, key: { action } }
  },
  patch: () => ({ action: `rewritten_${unique()}` }),
  allowed: { select: ['orgAdmin', 'leader'], insert: can.nobody, update: can.nobody, delete: can.nobody },
}

describeMatrix('organisation and access', [
  residents, residentMembers, units, unitMembers, organisations, organisationAdmins, people,
  invitations, legalDocuments, legalAcceptances, auditEvents,
])
