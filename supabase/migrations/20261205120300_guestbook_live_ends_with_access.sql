-- Removing someone's access ends their live guestbook at once, on real Supabase too.
--
-- Supabase Realtime checks a private channel's RLS policies when a client joins
-- (and again only when the client itself sends a new access token); a socket
-- that joined keeps receiving the topic's broadcasts after its access is gone
-- (see 20261204130000_guestbook_live.sql). The server cannot close someone
-- else's channel. What the database can do is stop sending to that topic: each
-- resident's live topic gets a secret key, and when anyone loses access to the
-- resident the key is replaced. From then on every change goes to the new topic.
-- The old topic gets one last message, "rekey", with no content, which tells
-- the app to ask for the new topic and join it; joining is checked by RLS, so
-- only those who still have access get in. The removed person's open channel
-- stays connected to a topic nobody sends to any more.
--
-- A resident's topic is "resident:<id>:guestbook" until the app first asks for
-- it (public.guestbook_live_topics), and "resident:<id>:guestbook:<key>" after
-- the first change of access since then. Residents nobody has opened live keep
-- the plain topic, so nothing changes for scripts that join it directly.

create table private.guestbook_live_keys (
  resident_id uuid primary key references public.residents (id) on delete cascade,
  key uuid,
  rotated_at timestamptz
);
comment on table private.guestbook_live_keys is
  'The secret part of each resident''s live guestbook topic; replaced when someone loses access to the resident.';
comment on column private.guestbook_live_keys.resident_id is 'The resident.';
comment on column private.guestbook_live_keys.key is 'The current key; null means the plain topic resident:<id>:guestbook.';
comment on column private.guestbook_live_keys.rotated_at is 'When the key was last replaced.';
alter table private.guestbook_live_keys enable row level security;

create function private.guestbook_live_topic(resident uuid) returns text
language sql stable security definer set search_path = '' as $$
  select 'resident:' || resident || ':guestbook'
    || coalesce(':' || (select k.key::text from private.guestbook_live_keys k where k.resident_id = resident), '')
$$;
comment on function private.guestbook_live_topic(uuid) is 'The current live guestbook topic of a resident.';

-- Only the current topic admits anyone: a stale topic names no resident.
create or replace function private.guestbook_topic_resident(topic text) returns uuid
language sql stable security definer set search_path = '' as $$
  select candidate.id from (
    select case when topic ~* '^resident:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:guestbook(:[0-9a-f-]{36})?$'
      then split_part(topic, ':', 2)::uuid end as id
  ) as candidate
  where candidate.id is not null and private.guestbook_live_topic(candidate.id) = topic
$$;

create or replace function private.broadcast_guestbook_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  resident uuid := coalesce(new.resident_id, old.resident_id);
begin
  perform realtime.broadcast_changes(
    private.guestbook_live_topic(resident),
    case tg_table_name
      when 'guestbook_posts' then 'post' when 'guestbook_comments' then 'comment'
      when 'guestbook_hearts' then 'heart' else 'media' end,
    tg_op, tg_table_name, tg_table_schema, new, old);
  return null;
end
$$;

-- Replaces the keys of the given residents that have been opened live, and tells
-- their old topics to rejoin.
create function private.rotate_guestbook_live_keys(residents uuid[]) returns void
language plpgsql security definer set search_path = '' as $$
declare
  rotated record;
begin
  for rotated in
    with old as (
      select k.resident_id, private.guestbook_live_topic(k.resident_id) as topic
      from private.guestbook_live_keys k where k.resident_id = any (residents)
    )
    update private.guestbook_live_keys k set key = gen_random_uuid(), rotated_at = now()
    from old where old.resident_id = k.resident_id
    returning old.topic
  loop
    perform realtime.send(jsonb_build_object('reason', 'access_changed'), 'rekey', rotated.topic, true);
  end loop;
end
$$;
comment on function private.rotate_guestbook_live_keys(uuid[]) is
  'Moves the live guestbook of these residents to a new topic and asks the old topic''s listeners to rejoin.';

-- Every way of losing access: a membership, a staff role or an org admin row
-- deleted, or a resident moved to another unit or archived.
create function private.end_live_access() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_table_name = 'resident_members' then
    perform private.rotate_guestbook_live_keys(array[old.resident_id]);
  elsif tg_table_name = 'unit_members' then
    perform private.rotate_guestbook_live_keys(array(
      select r.id from public.residents r where r.unit_id = old.unit_id));
  elsif tg_table_name = 'organisation_admins' then
    perform private.rotate_guestbook_live_keys(array(
      select r.id from public.residents r join public.units u on u.id = r.unit_id
      where u.organisation_id = old.organisation_id));
  elsif tg_table_name = 'residents' then
    perform private.rotate_guestbook_live_keys(array[old.id]);
  end if;
  return null;
end
$$;
comment on function private.end_live_access() is
  'Trigger: someone lost access, so the affected residents'' live guestbooks move to new topics.';

create trigger end_live_access after delete on public.resident_members
  for each row execute function private.end_live_access();
create trigger end_live_access after delete on public.unit_members
  for each row execute function private.end_live_access();
create trigger end_live_access after delete on public.organisation_admins
  for each row execute function private.end_live_access();
create trigger end_live_access after update of unit_id, status on public.residents
  for each row when (old.unit_id is distinct from new.unit_id or (old.status = 'active' and new.status <> 'active'))
  execute function private.end_live_access();
-- A role change can take away reading (e.g. to a role without access on archived profiles).
create trigger end_live_access_on_role_change after update of role on public.resident_members
  for each row when (old.role is distinct from new.role) execute function private.end_live_access();
create trigger end_live_access_on_role_change after update of role on public.unit_members
  for each row when (old.role is distinct from new.role) execute function private.end_live_access();

-- The topics the app joins, for the residents the caller may read; asking for
-- them is what turns on rotation for a resident.
create function public.guestbook_live_topics(resident_ids uuid[]) returns table (resident_id uuid, topic text)
language plpgsql security definer set search_path = '' as $$
begin
  insert into private.guestbook_live_keys (resident_id)
  select r.id from public.residents r
  where r.id = any (resident_ids) and private.can_read_resident(r.id)
  on conflict do nothing;
  return query
  select r.id, private.guestbook_live_topic(r.id) from public.residents r
  where r.id = any (resident_ids) and private.can_read_resident(r.id);
end
$$;
comment on function public.guestbook_live_topics(uuid[]) is
  'The current live guestbook topic of each given resident the caller may read.';

revoke all on function private.guestbook_live_topic(uuid), private.rotate_guestbook_live_keys(uuid[]),
  private.end_live_access(), public.guestbook_live_topics(uuid[]) from public, anon;
grant execute on function private.guestbook_live_topic(uuid) to authenticated, service_role;
grant execute on function public.guestbook_live_topics(uuid[]) to authenticated;
