-- Removing someone's access ends their live life story and story editing too, as
-- 20261205120300 did for the guestbook: Realtime checks a private channel's RLS
-- only when a client joins, so a removed person's open channel would go on
-- receiving until they left it.
--
-- The same secret key per resident (private.guestbook_live_keys) now also names
-- the resident's life-story topic and the editing topics of the resident's
-- stories, and the same rotation (someone lost access to the resident) moves
-- all three:
--   resident:<id>:life-story[:<key>]   and   story:<story id>[:<key>]
-- Each old topic gets one "rekey" message with no content; the app asks for the
-- new topic and joins it, which RLS checks. Stories' editors broadcast to each
-- other on the topic, so once everyone with access has moved on, the removed
-- person is alone on the old topic: nothing more reaches them, and what they
-- send reaches nobody. Until the first change of access the plain topics stay
-- in use, as before.

create function private.life_story_live_topic(resident uuid) returns text
language sql stable security definer set search_path = '' as $$
  select 'resident:' || resident || ':life-story'
    || coalesce(':' || (select k.key::text from private.guestbook_live_keys k where k.resident_id = resident), '')
$$;
comment on function private.life_story_live_topic(uuid) is 'The current live life-story topic of a resident.';

create function private.story_live_topic(story uuid) returns text
language sql stable security definer set search_path = '' as $$
  select 'story:' || s.id
    || coalesce(':' || (select k.key::text from private.guestbook_live_keys k where k.resident_id = s.resident_id), '')
  from public.stories s where s.id = story
$$;
comment on function private.story_live_topic(uuid) is 'The current editing topic of a story.';

-- Only the current topic names a resident (or a story): an old topic admits nobody.
create or replace function private.life_story_topic_resident(topic text) returns uuid
language sql stable security definer set search_path = '' as $$
  select candidate.id from (
    select case when topic ~* '^resident:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:life-story(:[0-9a-f-]{36})?$'
      then split_part(topic, ':', 2)::uuid end as id
  ) as candidate
  where candidate.id is not null and private.life_story_live_topic(candidate.id) = topic
$$;

create or replace function private.story_topic_id(topic text) returns uuid
language sql stable security definer set search_path = '' as $$
  select candidate.id from (
    select case when topic ~* '^story:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(:[0-9a-f-]{36})?$'
      then split_part(topic, ':', 2)::uuid end as id
  ) as candidate
  where candidate.id is not null and private.story_live_topic(candidate.id) = topic
$$;

create or replace function private.broadcast_life_story_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  resident uuid := coalesce(new.resident_id, old.resident_id);
begin
  perform realtime.send(
    jsonb_build_object('table', tg_table_name, 'id', coalesce(new.id, old.id), 'operation', tg_op),
    'change', private.life_story_live_topic(resident), true);
  return null;
end
$$;

-- As in 20261205120300, and the old life-story and story topics are told to rejoin too.
create or replace function private.rotate_guestbook_live_keys(residents uuid[]) returns void
language plpgsql security definer set search_path = '' as $$
declare
  old_topics text[];
  topic text;
begin
  select coalesce(array_agg(t), '{}') into old_topics from (
    select private.guestbook_live_topic(k.resident_id) as t
    from private.guestbook_live_keys k where k.resident_id = any (residents)
    union all
    select private.life_story_live_topic(k.resident_id)
    from private.guestbook_live_keys k where k.resident_id = any (residents)
    union all
    select private.story_live_topic(s.id)
    from private.guestbook_live_keys k join public.stories s on s.resident_id = k.resident_id
    where k.resident_id = any (residents)
  ) old;
  update private.guestbook_live_keys k set key = gen_random_uuid(), rotated_at = now()
  where k.resident_id = any (residents);
  foreach topic in array old_topics loop
    perform realtime.send(jsonb_build_object('reason', 'access_changed'), 'rekey', topic, true);
  end loop;
end
$$;

-- The topics the app joins; asking for them turns on rotation for the resident.
create function public.life_story_live_topic(resident uuid) returns text
language plpgsql security definer set search_path = '' as $$
begin
  if not private.can_read_resident(resident) then
    return null;
  end if;
  insert into private.guestbook_live_keys (resident_id) values (resident) on conflict do nothing;
  return private.life_story_live_topic(resident);
end
$$;
comment on function public.life_story_live_topic(uuid) is
  'The current live life-story topic of a resident the caller may read (null otherwise).';

create function public.story_live_topic(story uuid) returns text
language plpgsql security definer set search_path = '' as $$
declare
  resident uuid;
begin
  -- Joining the topic is still checked by the stories' select policy, as the caller.
  select s.resident_id into resident from public.stories s where s.id = story;
  if resident is null or not private.can_read_resident(resident) then
    return null;
  end if;
  insert into private.guestbook_live_keys (resident_id) values (resident) on conflict do nothing;
  return private.story_live_topic(story);
end
$$;
comment on function public.story_live_topic(uuid) is
  'The current editing topic of a story whose resident the caller may read (null otherwise).';

revoke all on function private.life_story_live_topic(uuid), private.story_live_topic(uuid),
  public.life_story_live_topic(uuid), public.story_live_topic(uuid) from public, anon;
grant execute on function private.life_story_live_topic(uuid), private.story_live_topic(uuid),
  private.life_story_topic_resident(text), private.story_topic_id(text) to authenticated, service_role;
grant execute on function public.life_story_live_topic(uuid), public.story_live_topic(uuid) to authenticated;
