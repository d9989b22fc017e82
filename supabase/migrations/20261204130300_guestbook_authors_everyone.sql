-- Authors in words, now also for people who wrote in the guestbook without a role
-- the reader can see: an org admin (only admins see the admin list) or someone who
-- has since left. They get their name (when RLS on people shows it) and no role.
create or replace function public.guestbook_authors(resident uuid)
returns table (person_id uuid, display_name text, role text, relationship text, unit_name text)
language sql stable security invoker set search_path = '' as $$
  select p.id, p.display_name,
    coalesce(um.role::text, rm.role::text, case when oa.user_id is not null then 'org_admin' end),
    rm.relationship, case when um.role is not null or oa.user_id is not null then u.name end
  from public.residents r
  join public.units u on u.id = r.unit_id
  join public.people p on p.id in (
    select m.user_id from public.resident_members m where m.resident_id = r.id
    union select m.user_id from public.unit_members m where m.unit_id = r.unit_id
    union select a.user_id from public.organisation_admins a where a.organisation_id = u.organisation_id
    union select g.created_by from public.guestbook_posts g where g.resident_id = r.id
    union select c.created_by from public.guestbook_comments c where c.resident_id = r.id)
  left join public.unit_members um on um.unit_id = r.unit_id and um.user_id = p.id
  left join public.resident_members rm on rm.resident_id = r.id and rm.user_id = p.id
  left join public.organisation_admins oa on oa.organisation_id = u.organisation_id and oa.user_id = p.id
  where r.id = resident
$$;
comment on function public.guestbook_authors(uuid) is
  'Everyone who wrote in or can write in a resident''s guestbook, with role, relationship in words and unit '
  'where the caller may see them.';
