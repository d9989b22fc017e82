-- Deleting a photo or video with a short time to undo it. A delete first only
-- marks the item (deleted_at, deleted_by): from then on nobody but the person
-- who deleted it sees the row, and they may restore it for two minutes. After
-- that the app's server removes the stored files through the Storage API and
-- then the row (the database cannot remove stored files itself: Supabase
-- protects storage.objects against plain SQL deletes).
--
-- The same sweep removes files that an upload stored but never recorded (a
-- server that stopped between storing the files and saving the row), once they
-- are an hour old, so no half-uploaded item stays behind.

alter table public.media_items
  add column deleted_at timestamptz,
  add column deleted_by uuid references public.people (id) on delete set null;
comment on column public.media_items.deleted_at is
  'When it was deleted; the files and the row are removed for good two minutes later (undo until then).';
comment on column public.media_items.deleted_by is 'Who deleted it; only they still see it, to undo.';
create index media_items_deleted_at_idx on public.media_items (deleted_at) where deleted_at is not null;

create function private.media_undo_window() returns interval
language sql immutable set search_path = '' as $$
  select interval '2 minutes'
$$;
comment on function private.media_undo_window() is 'How long a deleted photo or video can be restored.';

-- A restrictive policy is added to the permissive ones: a deleted item is out
-- of everyone's sight at once, except for the one who may still undo.
create policy "Deleted media items are seen only by who deleted them" on public.media_items
  as restrictive for select to authenticated
  using (deleted_at is null or deleted_by = (select auth.uid()));

-- Deleting and restoring go through the two functions below, which stamp who
-- and when; a plain update could otherwise backdate a delete or undo it late.
create function private.guard_media_deletion() returns trigger
language plpgsql set search_path = '' as $$
begin
  if current_user = 'authenticated' and (
       (tg_op = 'INSERT' and (new.deleted_at is not null or new.deleted_by is not null))
    or (tg_op = 'UPDATE' and (new.deleted_at, new.deleted_by) is distinct from (old.deleted_at, old.deleted_by))) then
    raise exception 'Delete or restore a photo with delete_media_item or restore_media_item.'
      using errcode = '42501', hint = 'use_delete_function';
  end if;
  return new;
end
$$;
comment on function private.guard_media_deletion() is
  'Trigger: deleted_at and deleted_by change only through delete_media_item and restore_media_item.';
create trigger guard_media_deletion before insert or update on public.media_items
  for each row execute function private.guard_media_deletion();

create function public.delete_media_item(media_item uuid) returns timestamptz
language plpgsql security definer set search_path = '' as $$
declare
  item public.media_items;
  uid uuid := auth.uid();
begin
  select * into item from public.media_items where id = media_item and deleted_at is null;
  if item.id is null or not private.can_read_resident(item.resident_id) then
    raise exception 'There is no such photo or video.' using errcode = 'P0002', hint = 'media_not_found';
  end if;
  if not ((item.created_by = uid) or private.can_moderate(item.resident_id)) then
    raise exception 'Only the person who added it, staff and the primary contact can delete this.'
      using errcode = '42501', hint = 'delete_not_allowed';
  end if;
  update public.media_items set deleted_at = now(), deleted_by = uid where id = media_item;
  return now() + private.media_undo_window();
end
$$;
comment on function public.delete_media_item(uuid) is
  'Deletes a photo or video for everyone but the caller; returns until when restore_media_item can undo it.';
revoke all on function public.delete_media_item(uuid) from public, anon;
grant execute on function public.delete_media_item(uuid) to authenticated;

create function public.restore_media_item(media_item uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  item public.media_items;
begin
  select * into item from public.media_items
  where id = media_item and deleted_at is not null and deleted_by = auth.uid();
  if item.id is null then
    raise exception 'There is no deleted photo or video of yours to restore.' using errcode = 'P0002', hint = 'media_not_found';
  end if;
  if item.deleted_at < now() - private.media_undo_window() then
    raise exception 'It is too late to undo; the photo or video is deleted for good.'
      using errcode = '42501', hint = 'undo_expired';
  end if;
  update public.media_items set deleted_at = null, deleted_by = null where id = media_item;
end
$$;
comment on function public.restore_media_item(uuid) is
  'Undoes delete_media_item for the one who deleted it, within two minutes.';
revoke all on function public.restore_media_item(uuid) from public, anon;
grant execute on function public.restore_media_item(uuid) to authenticated;

-- For the server's sweep, with the service role only: what to remove for good.
-- (Both return more than one column: PostgREST may answer a one-column table
-- function with bare values, which would be easy to misread.)
create function public.media_to_purge(max_items int default 100)
returns table (id uuid, storage_path text, variants jsonb)
language sql stable security definer set search_path = '' as $$
  select m.id, m.storage_path, m.variants from public.media_items m
  where m.deleted_at < now() - private.media_undo_window()
  order by m.deleted_at limit max_items
$$;
comment on function public.media_to_purge(int) is
  'Deleted photos and videos whose undo time is over: their files are removed, then the rows.';
revoke all on function public.media_to_purge(int) from public, anon, authenticated;
grant execute on function public.media_to_purge(int) to service_role;

create function public.orphaned_media_files(max_files int default 200)
returns table (name text, created_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select o.name, o.created_at from storage.objects o
  where o.bucket_id = 'media' and o.name ~ '^[0-9a-f-]{36}/media/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/'
    and o.created_at < now() - interval '1 hour'
    and not exists (select 1 from public.media_items m
                    where m.id = split_part(o.name, '/', 3)::uuid)
  order by o.created_at limit max_files
$$;
comment on function public.orphaned_media_files(int) is
  'Album files an hour old with no media item (an upload stopped half-way); the sweep removes them.';
revoke all on function public.orphaned_media_files(int) from public, anon, authenticated;
grant execute on function public.orphaned_media_files(int) to service_role;
