-- Two rules the first migrations left to trust: a picture referenced by a row
-- must lie in that resident's folder, and only those who may hide items
-- (the resident, staff and the primary contact) may hide or show them again;
-- an author cannot undo the resident's wish.

alter table public.residents
  add constraint residents_photo_path_in_own_folder check (photo_path like id::text || '/%');
alter table public.relations
  add constraint relations_photo_path_in_own_folder check (photo_path like resident_id::text || '/%');
alter table public.life_events
  add constraint life_events_photo_path_in_own_folder check (photo_path like resident_id::text || '/%');
alter table public.interests
  add constraint interests_photo_path_in_own_folder check (photo_path like resident_id::text || '/%');
alter table public.everyday_wishes
  add constraint everyday_wishes_photo_path_in_own_folder check (photo_path like resident_id::text || '/%');

create or replace function private.guard_life_story_update() returns trigger
language plpgsql set search_path = '' as $$
declare
  uid uuid := auth.uid();
begin
  if new.resident_id is distinct from old.resident_id then
    raise exception 'An item cannot be moved to another resident''s life story.'
      using errcode = '42501', hint = 'resident_change_not_allowed';
  end if;
  if current_user <> 'authenticated' then
    return new;
  end if;
  if new.hidden is distinct from old.hidden and not private.resident_can(old.resident_id, 'hide') then
    raise exception 'Only the resident, staff and the primary contact can hide an item or show it again.'
      using errcode = '42501', hint = 'hide_not_allowed';
  end if;
  if not ((old.created_by = uid and private.can_contribute(old.resident_id))
          or private.can_moderate(old.resident_id))
     and (to_jsonb(new) - array['hidden', 'updated_at', 'updated_by'])
         <> (to_jsonb(old) - array['hidden', 'updated_at', 'updated_by']) then
    raise exception 'Only the author or staff can change this item; the resident may only hide it.'
      using errcode = '42501', hint = 'only_hide_allowed';
  end if;
  return new;
end
$$;

-- A removed comment may lose its text (the live guestbook keeps it aside), so
-- only comments still shown must have some.
alter table public.guestbook_comments drop constraint guestbook_comments_body_check;
alter table public.guestbook_comments add constraint guestbook_comments_body_check
  check (length(body) <= 4000 and (removed_at is not null or length(body) > 0));
