import { describe, expect, it } from 'vitest'
import { db } from './fixtures.ts'

// The rules of issue 4 that hold for the schema as a whole, checked in the
// catalog so that a later migration cannot quietly break them.
const dataModelTables = [
  'people', 'organisations', 'organisation_admins', 'units', 'unit_members', 'residents', 'resident_members',
  'invitations', 'legal_documents', 'legal_acceptances', 'audit_events', 'relations', 'life_events', 'stories',
  'interests', 'everyday_wishes', 'albums', 'media_items', 'media_people', 'guestbook_posts',
  'guestbook_post_media', 'guestbook_comments', 'guestbook_hearts',
]

describe('the schema', () => {
  it('has row-level security on every table the migrations create in the exposed schema', async () => {
    // Tests of the local stack create throwaway tables of their own; only migrated ones count.
    const { rows } = await db(`select c.relname from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity
        and exists (select 1 from supabase_migrations.schema_migrations m, unnest(m.statements) as sql
          where sql ~* ('create table (if not exists )?(public\\.)?' || c.relname || '\\M'))`)
    expect(rows).toEqual([])
  })

  it('has no policy that lets everybody through', async () => {
    const { rows } = await db(`select tablename, policyname from pg_policies
      where schemaname in ('public', 'storage') and (qual = 'true' or with_check = 'true')
        and tablename = any ($1)`, [[...dataModelTables, 'objects']])
    expect(rows).toEqual([])
  })

  it('explains every table and column of the data model in a comment', async () => {
    const { rows } = await db(`select c.relname || coalesce('.' || a.attname, '') as missing
      from pg_class c left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where c.relnamespace = 'public'::regnamespace and c.relname = any ($1)
        and (obj_description(c.oid, 'pg_class') is null
          or (a.attname is not null and col_description(c.oid, a.attnum) is null))`, [dataModelTables])
    expect(rows).toEqual([])
  })

  it('pins the search path of every security definer function', async () => {
    const { rows } = await db(`select p.proname from pg_proc p
      where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace) and p.prosecdef
        and not exists (select 1 from unnest(p.proconfig) as setting where setting like 'search_path=%')`)
    expect(rows).toEqual([])
  })

  it('keeps anonymous callers out of the access helpers and the member RPCs', async () => {
    const { rows } = await db(`select has_schema_privilege('anon', 'private', 'usage') as helpers,
      has_function_privilege('anon', 'public.create_invitation(uuid, uuid, text, text, text, text)', 'execute')
        as invite,
      has_function_privilege('anon', 'public.accept_invitation(text)', 'execute') as accept,
      has_function_privilege('anon', 'public.change_member_role(uuid, uuid, text)', 'execute') as change_role,
      has_function_privilege('anon', 'public.delete_resident(uuid)', 'execute') as delete_resident,
      has_function_privilege('anon', 'public.invitation_preview(text)', 'execute') as preview`)
    expect(rows[0]).toEqual({ helpers: false, invite: false, accept: false, change_role: false,
      delete_resident: false, preview: true })
  })

  it('streams the guestbook and stories to Realtime', async () => {
    const { rows } = await db(`select tablename from pg_publication_tables
      where pubname = 'supabase_realtime' and schemaname = 'public' order by tablename`)
    expect(rows.map(r => r.tablename)).toEqual(expect.arrayContaining(
      ['guestbook_comments', 'guestbook_hearts', 'guestbook_posts', 'stories']))
  })

  it('keeps media in a private bucket that takes only images and videos', async () => {
    const { rows } = await db(`select public, file_size_limit::int, allowed_mime_types from storage.buckets
      where id = 'media'`)
    expect(rows).toEqual([{
      public: false,
      file_size_limit: 100 * 1024 * 1024,
      allowed_mime_types: ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/heic', 'image/heif',
        'video/mp4', 'video/quicktime'],
    }])
  })
})
