-- The live guestbook: every change to a resident's posts, comments, hearts and
-- attachments is broadcast from the database into one private channel per
-- resident, "resident:<id>:guestbook".
--
-- Why broadcast and not postgres_changes: with postgres_changes Realtime checks
-- RLS for every subscriber on every change, one query each, which is what
-- limits it at scale; and it cannot say what a DELETE was about beyond the key.
-- Broadcast from a trigger checks access once, when a person joins the
-- channel (RLS on realtime.messages below, with the same helpers as the
-- tables), carries the old row on DELETE, and lets one channel carry the four
-- tables in commit order. It is what Supabase recommends for this. The price:
-- someone who loses access keeps receiving until their channel is rejoined
-- (a token refresh rejoins it, at the latest within the token's lifetime).

-- "resident:<uuid>:guestbook" -> the resident's id; anything else -> null.
create function private.guestbook_topic_resident(topic text) returns uuid
language sql immutable set search_path = '' as $$
  select case when topic ~* '^resident:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:guestbook$'
    then split_part(topic, ':', 2)::uuid end
$$;
comment on function private.guestbook_topic_resident(text) is
  'The resident whose live guestbook channel a Realtime topic is (resident:<id>:guestbook), or null.';

-- The text of a removed post or comment leaves the public table, so nobody can
-- read it over the API any more; moderators can restore it from here.
create table private.guestbook_removed_texts (
  table_name text not null check (table_name in ('guestbook_posts', 'guestbook_comments')),
  row_id uuid not null,
  body text not null,
  removed_at timestamptz not null default now(),
  primary key (table_name, row_id)
);
comment on table private.guestbook_removed_texts is
  'The text of removed guestbook posts and comments, kept out of sight so a moderator''s removal can be undone.';
comment on column private.guestbook_removed_texts.table_name is 'guestbook_posts or guestbook_comments.';
comment on column private.guestbook_removed_texts.row_id is 'The removed post or comment.';
comment on column private.guestbook_removed_texts.body is 'Its text at the time of removal.';
comment on column private.guestbook_removed_texts.removed_at is 'When it was removed.';

-- Runs after guard_guestbook_update (triggers fire in name order), so the
-- guard has already decided that this person may remove or restore the row.
create function private.stash_removed_guestbook_text() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.removed_at is not null and old.removed_at is null then
    insert into private.guestbook_removed_texts (table_name, row_id, body)
    values (tg_table_name, old.id, old.body)
    on conflict (table_name, row_id) do update set body = excluded.body, removed_at = now();
    new.body := '';
  elsif new.removed_at is null and old.removed_at is not null then
    delete from private.guestbook_removed_texts t
    where t.table_name = tg_table_name and t.row_id = old.id
    returning t.body into new.body;
    new.body := coalesce(new.body, old.body);
  end if;
  return new;
end
$$;
comment on function private.stash_removed_guestbook_text() is
  'Trigger: a removal moves the text out of sight (private.guestbook_removed_texts); restoring brings it back.';

create trigger stash_removed_text before update of removed_at on public.guestbook_posts
  for each row execute function private.stash_removed_guestbook_text();
create trigger stash_removed_text before update of removed_at on public.guestbook_comments
  for each row execute function private.stash_removed_guestbook_text();

-- One message per changed row. The event names the kind of row ("post",
-- "comment", "heart", "media"); the payload is Supabase's broadcast_changes
-- shape {operation, table, schema, record, old_record}.
create function private.broadcast_guestbook_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  resident uuid := coalesce(new.resident_id, old.resident_id);
begin
  perform realtime.broadcast_changes(
    'resident:' || resident || ':guestbook',
    case tg_table_name
      when 'guestbook_posts' then 'post' when 'guestbook_comments' then 'comment'
      when 'guestbook_hearts' then 'heart' else 'media' end,
    tg_op, tg_table_name, tg_table_schema, new, old);
  return null;
end
$$;
comment on function private.broadcast_guestbook_change() is
  'Trigger: broadcasts a guestbook change into the resident''s private channel resident:<id>:guestbook.';

do $$
declare
  t text;
begin
  foreach t in array array['guestbook_posts', 'guestbook_comments', 'guestbook_hearts', 'guestbook_post_media'] loop
    execute format('create trigger broadcast_change after insert or update or delete on public.%I
      for each row execute function private.broadcast_guestbook_change()', t);
  end loop;
end
$$;

create policy "Readers of a resident can receive its live guestbook" on realtime.messages
  for select to authenticated using (
    extension = 'broadcast'
    and (select private.guestbook_topic_resident(realtime.topic()))
      in (select private.resident_ids_with('read')));

revoke all on function private.guestbook_topic_resident(text), private.stash_removed_guestbook_text(),
  private.broadcast_guestbook_change() from public;
grant execute on function private.guestbook_topic_resident(text) to authenticated, service_role;
