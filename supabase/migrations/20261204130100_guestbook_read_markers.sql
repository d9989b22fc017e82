-- What each person has read of each guestbook, for the unread markers on the
-- unit view, and the authors of a guestbook described in words.

create table public.guestbook_read_markers (
  user_id uuid not null references public.people (id) on delete cascade default auth.uid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  read_until timestamptz not null default now(),
  primary key (user_id, resident_id)
);
create index guestbook_read_markers_resident_id_idx on public.guestbook_read_markers (resident_id);
comment on table public.guestbook_read_markers is
  'How far each person has read each resident''s guestbook; posts after read_until count as unread.';
comment on column public.guestbook_read_markers.user_id is 'The reader.';
comment on column public.guestbook_read_markers.resident_id is 'The resident whose guestbook was read.';
comment on column public.guestbook_read_markers.read_until is 'Posts created up to this moment have been read.';

alter table public.guestbook_read_markers enable row level security;

create policy "People can see their own read markers" on public.guestbook_read_markers
  for select to authenticated using (user_id = (select auth.uid()));
create policy "Readers can mark a guestbook as read" on public.guestbook_read_markers
  for insert to authenticated with check (
    user_id = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')));
create policy "Readers can move their own read marker" on public.guestbook_read_markers
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')));
create policy "People can delete their own read markers" on public.guestbook_read_markers
  for delete to authenticated using (user_id = (select auth.uid()));

revoke all on public.guestbook_read_markers from anon;
grant select, insert, update, delete on public.guestbook_read_markers to authenticated;

-- Marks a guestbook read up to now (never backwards), in one call from the app.
create function public.mark_guestbook_read(resident uuid) returns timestamptz
language sql security invoker set search_path = '' as $$
  insert into public.guestbook_read_markers as m (resident_id, read_until)
  values (resident, now())
  on conflict (user_id, resident_id) do update set read_until = greatest(m.read_until, excluded.read_until)
  returning read_until
$$;
comment on function public.mark_guestbook_read(uuid) is
  'Marks the resident''s guestbook read up to now for the caller; returns the new marker.';

-- Unread posts per resident: posts by others, not removed, after the marker.
-- Security invoker: RLS on the posts decides which residents appear at all.
create function public.guestbook_unread_counts(resident_ids uuid[])
returns table (resident_id uuid, unread bigint)
language sql stable security invoker set search_path = '' as $$
  select r.id, count(p.id)
  from unnest(resident_ids) as r (id)
  left join public.guestbook_read_markers m on m.resident_id = r.id and m.user_id = auth.uid()
  left join public.guestbook_posts p on p.resident_id = r.id
    and p.created_at > coalesce(m.read_until, '-infinity')
    and p.removed_at is null and p.created_by is distinct from auth.uid()
  group by r.id
$$;
comment on function public.guestbook_unread_counts(uuid[]) is
  'For each given resident, how many guestbook posts by others the caller has not read yet.';

-- "datter", "helsepersonell, Avdeling 2": what the app writes beside an author's
-- name. Security invoker, so a caller only learns about people RLS lets them see.
create function public.guestbook_authors(resident uuid)
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
    union select a.user_id from public.organisation_admins a where a.organisation_id = u.organisation_id)
  left join public.unit_members um on um.unit_id = r.unit_id and um.user_id = p.id
  left join public.resident_members rm on rm.resident_id = r.id and rm.user_id = p.id
  left join public.organisation_admins oa on oa.organisation_id = u.organisation_id and oa.user_id = p.id
  where r.id = resident
$$;
comment on function public.guestbook_authors(uuid) is
  'Everyone who can write in a resident''s guestbook, with their role, relationship in words and unit.';

revoke all on function public.mark_guestbook_read(uuid), public.guestbook_unread_counts(uuid[]),
  public.guestbook_authors(uuid) from public, anon;
grant execute on function public.mark_guestbook_read(uuid), public.guestbook_unread_counts(uuid[]),
  public.guestbook_authors(uuid) to authenticated;
