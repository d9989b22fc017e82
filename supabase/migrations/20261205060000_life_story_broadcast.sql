-- Life-story items live, deletes included: every change to a resident's
-- relations, life events, interests and everyday wishes is announced in one
-- private channel per resident, "resident:<id>:life-story".
--
-- Why not postgres_changes (20261204150000_life_story_live.sql): a DELETE
-- there carries only the primary key, so a subscription filtered on
-- resident_id never matches it, and Realtime does not check RLS for deletes
-- at all. REPLICA IDENTITY FULL would not help on Supabase: with RLS on, the
-- old record of a DELETE is still cut down to the key.
--
-- The message says only which table, which row and what happened, never the
-- row's content: a hidden item may be seen only by some readers, so every
-- page reloads what it shows through the API, where RLS decides. Access to
-- the channel is checked once, when a person joins (RLS on realtime.messages).

-- "resident:<uuid>:life-story" -> the resident's id; anything else -> null.
create function private.life_story_topic_resident(topic text) returns uuid
language sql immutable set search_path = '' as $$
  select case when topic ~* '^resident:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:life-story$'
    then split_part(topic, ':', 2)::uuid end
$$;
comment on function private.life_story_topic_resident(text) is
  'The resident whose live life-story channel a Realtime topic is (resident:<id>:life-story), or null.';

-- One message per changed row, event "change", payload {table, id, operation}.
create function private.broadcast_life_story_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  resident uuid := coalesce(new.resident_id, old.resident_id);
begin
  perform realtime.send(
    jsonb_build_object('table', tg_table_name, 'id', coalesce(new.id, old.id), 'operation', tg_op),
    'change', 'resident:' || resident || ':life-story', true);
  return null;
end
$$;
comment on function private.broadcast_life_story_change() is
  'Trigger: announces a life-story change (table, id, operation; no content) in resident:<id>:life-story.';

do $$
declare
  t text;
begin
  foreach t in array array['relations', 'life_events', 'interests', 'everyday_wishes'] loop
    execute format('create trigger broadcast_change after insert or update or delete on public.%I
      for each row execute function private.broadcast_life_story_change()', t);
  end loop;
end
$$;

create policy "Readers of a resident can receive its live life story" on realtime.messages
  for select to authenticated using (
    extension = 'broadcast'
    and (select private.life_story_topic_resident(realtime.topic()))
      in (select private.resident_ids_with('read')));

revoke all on function private.life_story_topic_resident(text), private.broadcast_life_story_change() from public;
grant execute on function private.life_story_topic_resident(text) to authenticated, service_role;
