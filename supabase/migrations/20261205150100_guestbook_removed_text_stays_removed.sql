-- A removed post or comment keeps its text out of sight: its author may no
-- longer write new text into it (every reader would receive that text through
-- the API and the live channel, under the "removed" mark). Restoring it, or
-- leaving it removed, is the moderator's choice; the author can still delete it.
-- Otherwise the same rules as before: authors edit their own text, moderators
-- only remove and restore.
create or replace function private.guard_guestbook_update() returns trigger
language plpgsql set search_path = '' as $$
declare
  uid uuid := auth.uid();
  allowed text[] := array['updated_at', 'updated_by'];
begin
  if current_user <> 'authenticated' then
    return new;
  end if;
  if old.created_by = uid then
    allowed := allowed || array['body', 'edited_at'];
  end if;
  if private.can_moderate(old.resident_id) then
    allowed := allowed || array['removed_at', 'removed_by'];
  end if;
  if (to_jsonb(new) - allowed) <> (to_jsonb(old) - allowed) then
    raise exception 'Only the author can edit this; staff and the primary contact can only remove it.'
      using errcode = '42501', hint = 'guestbook_change_not_allowed';
  end if;
  if old.removed_at is not null and new.removed_at is not null and new.body is distinct from old.body then
    raise exception 'This has been removed and cannot be edited.'
      using errcode = '42501', hint = 'guestbook_removed_not_editable';
  end if;
  if new.body is distinct from old.body then
    new.edited_at := now();
  end if;
  if new.removed_at is not null and old.removed_at is null then
    new.removed_by := uid;
  elsif new.removed_at is null then
    new.removed_by := null;
  end if;
  return new;
end
$$;
comment on function private.guard_guestbook_update() is
  'Trigger: authors edit their own text (not while removed), moderators only remove; stamps edited_at and removed_by.';
revoke all on function private.guard_guestbook_update() from public;
