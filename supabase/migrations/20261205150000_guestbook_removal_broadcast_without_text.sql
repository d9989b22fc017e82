-- A moderator's removal must not carry the removed text to every open page.
-- realtime.broadcast_changes sends the old row next to the new one, and for an
-- update the old row is the post or comment as it was, text and all (on
-- Supabase realtime.messages also keeps it for days). The pages only read the
-- old row for a delete (see app/composables/useGuestbookLive.ts), so an update
-- now goes out without it. A deleted row still sends its old row so listeners
-- know what went; a removed row's text was already moved aside by then.
create or replace function private.broadcast_guestbook_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  resident uuid := coalesce(new.resident_id, old.resident_id);
  event_name text := case tg_table_name
    when 'guestbook_posts' then 'post' when 'guestbook_comments' then 'comment'
    when 'guestbook_hearts' then 'heart' else 'media' end;
begin
  if tg_op = 'UPDATE' then
    perform realtime.broadcast_changes(
      private.guestbook_live_topic(resident), event_name, tg_op, tg_table_name, tg_table_schema, new, null);
  else
    perform realtime.broadcast_changes(
      private.guestbook_live_topic(resident), event_name, tg_op, tg_table_name, tg_table_schema, new, old);
  end if;
  return null;
end
$$;
comment on function private.broadcast_guestbook_change() is
  'Trigger: broadcasts a guestbook change into the resident''s private live topic; an update is sent without its old row.';
revoke all on function private.broadcast_guestbook_change() from public;
