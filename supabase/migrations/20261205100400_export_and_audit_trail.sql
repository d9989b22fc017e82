-- Export and the audit trail (privacy rules 5 and 1). The primary contact and
-- org admins download the whole life story; the server builds the ZIP from
-- export_resident's data and the stored files, which it reads with the
-- downloader's own token. Each export is recorded. Org admins and unit leaders
-- read the trail through audit_trail, which adds names to the bare ids.

create function public.export_resident(resident_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  rid uuid := resident_id;
  result jsonb;
begin
  if not private.resident_can(rid, 'export') then
    raise exception 'Only the primary contact and org admins can download the whole life story.'
      using errcode = 'P0001', hint = 'not_allowed_to_export';
  end if;
  select jsonb_build_object(
    'format', 'minnespor-export-1',
    'exported_at', now(),
    'resident', (select to_jsonb(r) - array['created_by', 'updated_by', 'retention_reminded_at']
                 from public.residents r where r.id = rid),
    'unit', (select jsonb_build_object('name', u.name, 'site_name', u.site_name, 'organisation', o.name)
             from public.residents r join public.units u on u.id = r.unit_id
             join public.organisations o on o.id = u.organisation_id where r.id = rid),
    'members', coalesce((select jsonb_agg(jsonb_build_object('user_id', m.user_id, 'name', p.display_name,
                  'role', m.role, 'relationship', m.relationship) order by p.display_name)
                from public.resident_members m join public.people p on p.id = m.user_id
                where m.resident_id = rid), '[]'),
    'relations', private.export_rows('relations', rid),
    'life_events', private.export_rows('life_events', rid),
    'stories', coalesce((select jsonb_agg(to_jsonb(s) - 'document_state' order by s.position, s.created_at)
                from public.stories s where s.resident_id = rid), '[]'),
    'interests', private.export_rows('interests', rid),
    'everyday_wishes', private.export_rows('everyday_wishes', rid),
    'albums', private.export_rows('albums', rid),
    'media_items', private.export_rows('media_items', rid),
    'media_people', private.export_rows('media_people', rid),
    'guestbook_posts', coalesce((select jsonb_agg(to_jsonb(g) || jsonb_build_object(
                  'comments', coalesce((select jsonb_agg(to_jsonb(c) order by c.created_at)
                    from public.guestbook_comments c where c.post_id = g.id and c.removed_at is null), '[]'),
                  'media_item_ids', coalesce((select jsonb_agg(pm.media_item_id order by pm.position)
                    from public.guestbook_post_media pm where pm.post_id = g.id), '[]'),
                  'hearts', (select count(*) from public.guestbook_hearts h where h.post_id = g.id))
                  order by g.created_at)
                from public.guestbook_posts g where g.resident_id = rid and g.removed_at is null), '[]'),
    'people', coalesce((select jsonb_object_agg(p.id, p.display_name) from public.people p
                where p.id in (select m.user_id from public.resident_members m where m.resident_id = rid)
                   or p.id in (select private.export_author_ids(rid))), '{}')
  ) into result;
  perform private.audit('resident_exported', rid);
  return result;
end
$$;
comment on function public.export_resident(uuid) is
  'The whole life story of a profile as JSON, for its primary contact and org admins; records the export.';

-- Every row of one life-story table for a resident, oldest first.
create function private.export_rows(tbl text, resident uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  rows jsonb;
begin
  execute format('select coalesce(jsonb_agg(to_jsonb(t) order by t.created_at, t.id), ''[]'')
    from public.%I t where t.resident_id = $1', tbl) into rows using resident;
  return rows;
end
$$;
comment on function private.export_rows(text, uuid) is 'Rows of a life-story table as a JSON array, for export.';

create function private.export_author_ids(resident uuid) returns setof uuid
language sql stable security definer set search_path = '' as $$
  select created_by from public.relations where resident_id = resident
  union select created_by from public.life_events where resident_id = resident
  union select created_by from public.stories where resident_id = resident
  union select created_by from public.interests where resident_id = resident
  union select created_by from public.everyday_wishes where resident_id = resident
  union select created_by from public.albums where resident_id = resident
  union select created_by from public.media_items where resident_id = resident
  union select consent_confirmed_by from public.media_items where resident_id = resident
  union select consent_confirmed_by from public.relations where resident_id = resident
  union select created_by from public.guestbook_posts where resident_id = resident
  union select created_by from public.guestbook_comments where resident_id = resident
$$;
comment on function private.export_author_ids(uuid) is 'Everyone who wrote or confirmed something on a profile.';

create function public.audit_trail(
  resident uuid default null, person uuid default null, before_id bigint default null, page_size int default 50
) returns table (
  id bigint, occurred_at timestamptz, action text, actor_id uuid, actor_name text,
  subject_user_id uuid, subject_name text, resident_id uuid, resident_name text,
  unit_id uuid, unit_name text, details jsonb
)
language plpgsql stable security definer set search_path = '' as $$
begin
  return query
  select a.id, a.occurred_at, a.action, a.actor_id, actor.display_name, a.subject_user_id, subject.display_name,
    a.resident_id, r.display_name, a.unit_id, u.name, a.details
  from public.audit_events a
  left join public.people actor on actor.id = a.actor_id
  left join public.people subject on subject.id = a.subject_user_id
  left join public.residents r on r.id = a.resident_id
  left join public.units u on u.id = a.unit_id
  where (private.is_org_admin(a.organisation_id) or private.unit_role(a.unit_id) = 'leader')
    and (audit_trail.resident is null or a.resident_id = audit_trail.resident)
    and (person is null or a.actor_id = person or a.subject_user_id = person)
    and (before_id is null or a.id < before_id)
  order by a.id desc
  limit least(greatest(coalesce(page_size, 50), 1), 200);
end
$$;
comment on function public.audit_trail(uuid, uuid, bigint, int) is
  'The audit trail the caller may read (org admins: their organisation; leaders: their units), newest '
  'first, with names, filtered by profile and by person (as actor or subject); page with before_id.';

create function public.audit_trail_filters() returns table (kind text, id uuid, name text)
language sql stable security definer set search_path = '' as $$
  with readable as (
    select a.* from public.audit_events a
    where private.is_org_admin(a.organisation_id) or private.unit_role(a.unit_id) = 'leader'
  )
  select 'resident', r.id, r.display_name from public.residents r
  where r.id in (select resident_id from readable)
  union
  select 'person', p.id, p.display_name from public.people p
  where p.id in (select actor_id from readable union select subject_user_id from readable)
  order by 1, 3
$$;
comment on function public.audit_trail_filters() is
  'The profiles and people that appear in the audit trail the caller may read, for its filters.';

-- What the privacy page may offer the caller on one profile, from the same
-- table of capabilities the policies use. Only a hint for showing controls:
-- every action checks again.
create function public.privacy_rights(resident_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  role text := private.resident_role(resident_id);
begin
  return jsonb_build_object(
    'role', role,
    'export', private.role_has(role, 'export'),
    'archive', private.role_has(role, 'manage_resident'),
    'extend', coalesce(role in ('org_admin', 'leader'), false),
    'delete', coalesce(role = 'org_admin', false),
    'moderate', private.role_has(role, 'moderate'),
    'decide_departed', private.role_has(role, 'manage_members'));
end
$$;
comment on function public.privacy_rights(uuid) is
  'The caller''s role on a profile and which privacy actions it allows (export, archive, extend, delete, '
  'moderate, decide_departed).';

revoke all on function public.export_resident(uuid), public.privacy_rights(uuid), public.audit_trail(uuid, uuid, bigint, int),
  public.audit_trail_filters() from public, anon;
grant execute on function public.export_resident(uuid), public.privacy_rights(uuid), public.audit_trail(uuid, uuid, bigint, int),
  public.audit_trail_filters() to authenticated;
