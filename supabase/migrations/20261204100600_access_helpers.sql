-- Who may do what, answered in one place. Policies and RPCs call these
-- helpers; they are security definer so they can read the membership tables
-- without tripping over those tables' own policies, and they only ever answer
-- questions about the calling user (auth.uid()).

-- Terms first: a user sees nothing until they accepted the current version of
-- every kind of legal document. With no published version of a kind, nobody
-- passes: the gate fails closed.
create function private.has_accepted_terms() returns boolean
language sql stable security definer set search_path = '' as $$
  select auth.uid() is not null and not exists (
    select 1
    from unnest(enum_range(null::public.legal_document_kind)) as required (kind)
    left join lateral (
      select d.id from public.legal_documents d
      where d.kind = required.kind and d.published_at <= now()
      order by d.version desc limit 1
    ) as current_document on true
    where current_document.id is null or not exists (
      select 1 from public.legal_acceptances a
      where a.document_id = current_document.id and a.user_id = auth.uid()
    )
  )
$$;
comment on function private.has_accepted_terms() is
  'Whether the caller accepted the current terms, privacy statement and duty of confidentiality.';

create function private.is_org_admin(organisation uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.has_accepted_terms() and exists (
    select 1 from public.organisation_admins a
    where a.organisation_id = organisation and a.user_id = auth.uid()
  )
$$;
comment on function private.is_org_admin(uuid) is 'Whether the caller administers the organisation.';

create function private.unit_role(unit uuid) returns public.unit_role
language sql stable security definer set search_path = '' as $$
  select m.role from public.unit_members m
  where m.unit_id = unit and m.user_id = auth.uid() and private.has_accepted_terms()
$$;
comment on function private.unit_role(uuid) is 'The caller''s role in the unit, or null.';

create function private.can_manage_unit(unit uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce(private.unit_role(unit) in ('leader', 'superuser'), false)
    or exists (
      select 1 from public.units u
      where u.id = unit and private.is_org_admin(u.organisation_id)
    )
$$;
comment on function private.can_manage_unit(uuid) is
  'Whether the caller may manage the unit: create, move and archive residents, invite staff.';

-- The one table of what each role may do on a profile. Later features add
-- capabilities here rather than spelling out role lists in policies.
create function private.role_has(role text, capability text) returns boolean
language sql immutable set search_path = '' as $$
  select coalesce(role = any (case capability
    when 'read' then array['org_admin', 'leader', 'superuser', 'staff', 'primary_contact', 'relative', 'viewer', 'resident']
    when 'contribute' then array['org_admin', 'leader', 'superuser', 'staff', 'primary_contact', 'relative', 'resident']
    when 'moderate' then array['org_admin', 'leader', 'superuser', 'staff', 'primary_contact']
    when 'see_hidden' then array['org_admin', 'leader', 'superuser', 'staff', 'primary_contact', 'resident']
    when 'hide' then array['org_admin', 'leader', 'superuser', 'staff', 'primary_contact', 'resident']
    when 'post_glimpse' then array['org_admin', 'leader', 'superuser', 'staff']
    when 'invite' then array['org_admin', 'leader', 'superuser', 'staff', 'primary_contact']
    when 'manage_members' then array['org_admin', 'leader', 'superuser', 'primary_contact']
    when 'see_contacts' then array['org_admin', 'leader', 'superuser', 'staff']
    when 'export' then array['org_admin', 'primary_contact']
    when 'manage_resident' then array['org_admin', 'leader', 'superuser']
    else array[]::text[] end), false)
$$;
comment on function private.role_has(text, text) is
  'Whether a role on a profile carries a capability (read, contribute, moderate, see_hidden, hide, '
  'post_glimpse, invite, manage_members, see_contacts, export, manage_resident).';

-- Each person's strongest role wins: staff who are also family act as staff.
-- Archived profiles stay visible to org admins, leaders and the primary contact only.
create function private.resident_role(resident uuid) returns text
language sql stable security definer set search_path = '' as $$
  select role from (
    select 'org_admin' as role, 1 as rank
    from public.residents r
    join public.units u on u.id = r.unit_id
    join public.organisation_admins a on a.organisation_id = u.organisation_id
    where r.id = resident and a.user_id = auth.uid()
    union all
    select m.role::text, case m.role when 'leader' then 2 when 'superuser' then 3 else 4 end
    from public.residents r
    join public.unit_members m on m.unit_id = r.unit_id
    where r.id = resident and m.user_id = auth.uid() and (r.status = 'active' or m.role = 'leader')
    union all
    select m.role::text, 5 + array_position(enum_range(null::public.member_role), m.role)
    from public.residents r
    join public.resident_members m on m.resident_id = r.id
    where r.id = resident and m.user_id = auth.uid()
      and (r.status = 'active' or m.role = 'primary_contact')
  ) as roles
  where private.has_accepted_terms()
  order by rank
  limit 1
$$;
comment on function private.resident_role(uuid) is
  'The caller''s effective role on a resident: org_admin, leader, superuser, staff, primary_contact, '
  'relative, viewer, resident, or null (no access, archived, or terms not accepted).';

-- The same rules as resident_role, for every resident at once, so that a
-- policy can test membership in one hashed set instead of calling per row.
create function private.resident_roles() returns table (resident_id uuid, role text)
language sql stable security definer set search_path = '' as $$
  select distinct on (resident_id) resident_id, role from (
    select r.id as resident_id, 'org_admin' as role, 1 as rank
    from public.organisation_admins a
    join public.units u on u.organisation_id = a.organisation_id
    join public.residents r on r.unit_id = u.id
    where a.user_id = auth.uid()
    union all
    select r.id, m.role::text, case m.role when 'leader' then 2 when 'superuser' then 3 else 4 end
    from public.unit_members m
    join public.residents r on r.unit_id = m.unit_id
    where m.user_id = auth.uid() and (r.status = 'active' or m.role = 'leader')
    union all
    select r.id, m.role::text, 5 + array_position(enum_range(null::public.member_role), m.role)
    from public.resident_members m
    join public.residents r on r.id = m.resident_id
    where m.user_id = auth.uid() and (r.status = 'active' or m.role = 'primary_contact')
  ) as roles
  where private.has_accepted_terms()
  order by resident_id, rank
$$;
comment on function private.resident_roles() is 'Every resident the caller has a role on, with that role.';

create function private.resident_ids_with(capability text) returns setof uuid
language sql stable security definer set search_path = '' as $$
  select resident_id from private.resident_roles() where private.role_has(role, capability)
$$;
comment on function private.resident_ids_with(text) is
  'The residents on which the caller has a capability; policies use it as `resident_id in (select ...)`.';

create function private.resident_can(resident uuid, capability text) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.role_has(private.resident_role(resident), capability)
$$;
comment on function private.resident_can(uuid, text) is 'Whether the caller has a capability on one resident.';

create function private.can_read_resident(resident uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.resident_can(resident, 'read')
$$;
comment on function private.can_read_resident(uuid) is 'Whether the caller may see the profile and its guestbook.';

create function private.can_contribute(resident uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.resident_can(resident, 'contribute')
$$;
comment on function private.can_contribute(uuid) is 'Whether the caller may add life-story content and upload media.';

create function private.can_moderate(resident uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.resident_can(resident, 'moderate')
$$;
comment on function private.can_moderate(uuid) is
  'Whether the caller may edit or delete what others added, and remove guestbook posts.';

-- Units the caller may see: as org admin, as staff, or as a member of a resident there.
create function private.visible_unit_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select u.id from public.units u
  join public.organisation_admins a on a.organisation_id = u.organisation_id
  where a.user_id = auth.uid() and private.has_accepted_terms()
  union
  select m.unit_id from public.unit_members m
  where m.user_id = auth.uid() and private.has_accepted_terms()
  union
  select r.unit_id from public.residents r
  where r.id in (select private.resident_ids_with('read'))
$$;
comment on function private.visible_unit_ids() is 'The units the caller may see.';

create function private.managed_unit_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select u.id from public.units u
  join public.organisation_admins a on a.organisation_id = u.organisation_id
  where a.user_id = auth.uid() and private.has_accepted_terms()
  union
  select m.unit_id from public.unit_members m
  where m.user_id = auth.uid() and m.role in ('leader', 'superuser') and private.has_accepted_terms()
$$;
comment on function private.managed_unit_ids() is 'The units the caller manages (org admin, leader or superuser).';

-- People the caller may see the name of: themselves, everybody sharing a
-- profile or a unit with them, and the admins of those organisations.
create function private.visible_person_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  with readable as (select private.resident_ids_with('read') as id),
  units as (select private.visible_unit_ids() as id)
  select auth.uid()
  union
  select m.user_id from public.resident_members m where m.resident_id in (select id from readable)
  union
  select m.user_id from public.unit_members m where m.unit_id in (select id from units)
  union
  select a.user_id from public.organisation_admins a
  join public.units u on u.organisation_id = a.organisation_id
  where u.id in (select id from units)
$$;
comment on function private.visible_person_ids() is 'The people whose name and photo the caller may see.';

-- Object keys in bucket "media" start with the resident's id; anything else belongs to nobody.
create function private.resident_id_from_path(name text) returns uuid
language sql immutable set search_path = '' as $$
  select case when name ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.'
    then split_part(name, '/', 1)::uuid end
$$;
comment on function private.resident_id_from_path(text) is
  'The resident a storage key belongs to (its first folder), or null.';

create function private.audit(
  action text, resident uuid default null, unit uuid default null,
  subject uuid default null, details jsonb default '{}'
) returns void
language sql security definer set search_path = '' as $$
  insert into public.audit_events (actor_id, action, organisation_id, unit_id, resident_id, subject_user_id, details)
  select auth.uid(), action, u.organisation_id, coalesce(unit, r.unit_id), resident, subject, details
  from (select 1) as one
  left join public.residents r on r.id = resident
  left join public.units u on u.id = coalesce(unit, r.unit_id)
$$;
comment on function private.audit(text, uuid, uuid, uuid, jsonb) is
  'Records an access change for the audit trail (never content).';

revoke all on all functions in schema private from public;
grant execute on function
  private.has_accepted_terms(), private.is_org_admin(uuid), private.unit_role(uuid),
  private.can_manage_unit(uuid), private.role_has(text, text), private.resident_role(uuid),
  private.resident_roles(), private.resident_ids_with(text), private.resident_can(uuid, text),
  private.can_read_resident(uuid), private.can_contribute(uuid), private.can_moderate(uuid),
  private.visible_unit_ids(), private.managed_unit_ids(), private.visible_person_ids(),
  private.resident_id_from_path(text)
  to authenticated, service_role;
