// Named fixtures for browser tests: a care home (organisation, unit, residents) made
// directly in Postgres as `postgres`, and people made through the Auth admin API.
import pg from 'pg'
import type { Browser } from 'playwright-core'
import { adminClient, openPage, signIn, stack, uniqueEmail, waitForHome, type PageOptions } from './support'

export async function sql<Row extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: stack.dbUrl })
  await client.connect()
  try {
    return (await client.query<Row>(text, params)).rows
  }
  finally {
    await client.end()
  }
}

/** The password every fixture person has. */
export const fixturePassword = 'solsikke på fjellet'

export interface Person { id: string, email: string, name: string }

/** A person with an e-mail address and a password, confirmed, with a people row. */
export async function createPerson(name: string, email = uniqueEmail(name.toLowerCase().split(' ')[0]!)): Promise<Person> {
  const { data, error } = await adminClient().auth.admin.createUser({
    email, password: fixturePassword, email_confirm: true, user_metadata: { full_name: name, password_set: true },
  })
  if (error) throw error
  return { id: data.user.id, email, name }
}

/** Published terms, privacy statement and confidentiality, so the terms gate has something to ask. */
export async function ensureLegalDocuments() {
  await sql(`insert into public.legal_documents (kind, version, title_nb, title_en, body_nb, body_en)
    select kind::public.legal_document_kind, 1, title_nb, title_en, body, body from (values
      ('terms', 'Vilkår for bruk', 'Terms of use'),
      ('privacy', 'Personvernerklæring', 'Privacy statement'),
      ('confidentiality', 'Taushetsplikt', 'Duty of confidentiality')) as d(kind, title_nb, title_en)
    cross join (values ('Testtekst.')) as b(body)
    on conflict (kind, version) do nothing`)
}

/** Records that the person accepted every current legal document. */
export async function acceptTerms(person: Person) {
  await sql(`insert into public.legal_acceptances (user_id, document_id)
    select $1, id from public.current_legal_documents on conflict do nothing`, [person.id])
}

export interface CareHome { organisationId: string, unitId: string, unitName: string, residentId: string, residentName: string }

/** An organisation with one unit and one resident, named uniquely for this test. */
export async function createCareHome(label: string): Promise<CareHome> {
  const [organisation] = await sql<{ id: string }>(`insert into public.organisations (name) values ($1) returning id`, [`${label} kommune`])
  const unitName = `${label} avdeling`
  const [unit] = await sql<{ id: string }>(`insert into public.units (organisation_id, name) values ($1, $2) returning id`,
    [organisation!.id, unitName])
  const residentName = `Ingrid ${label}`
  const [resident] = await sql<{ id: string }>(`insert into public.residents (unit_id, display_name, preferred_name, introduction)
    values ($1, $2, 'Inga', 'Jeg vokste opp på Helgelandskysten og elsker å synge.') returning id`, [unit!.id, residentName])
  return { organisationId: organisation!.id, unitId: unit!.id, unitName, residentId: resident!.id, residentName }
}

/** Gives a person a role on a unit. */
export async function addToUnit(person: Person, unitId: string, role: 'staff' | 'superuser' | 'leader') {
  await sql(`insert into public.unit_members (unit_id, user_id, role) values ($1, $2, $3)`, [unitId, person.id, role])
}

/** Gives a person a role on a resident's profile. */
export async function addToResident(person: Person, residentId: string, role: 'primary_contact' | 'relative' | 'viewer') {
  await sql(`insert into public.resident_members (resident_id, user_id, role) values ($1, $2, $3)`, [residentId, person.id, role])
}

/** Writes a guestbook post as the given person. */
export async function addGuestbookPost(person: Person, residentId: string, body: string, kind: 'greeting' | 'glimpse' = 'greeting') {
  await sql(`insert into public.guestbook_posts (resident_id, kind, body, created_by) values ($1, $2, $3, $4)`,
    [residentId, kind, body, person.id])
}

/** A new browser context in which the person has signed in on the sign-in page and landed at home. */
export async function signedInPage(browser: Browser, person: Person, options: PageOptions = {}) {
  const opened = await openPage(browser, options)
  await signIn(opened.page, person.email, fixturePassword)
  await waitForHome(opened.page)
  return opened
}
