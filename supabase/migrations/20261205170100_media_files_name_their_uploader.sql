-- Since 20261205170000 the app's server writes resident media files with its
-- secret key, so Storage records no owner for them (it takes the owner from the
-- caller's sign-in). The DELETE policy kept from 20261204101100 lets an
-- uploader remove files that name them as owner, and prepare_account_deletion
-- clears the owner of a departing person's files; both need the uploader named.
-- After the media_items row is saved (with created_by = the uploader, which RLS
-- enforces), the server calls this function to name them as the files' owner.

create function public.stamp_media_file_owner(item uuid) returns int
language sql security definer set search_path = '' as $$
  with item_row as (
    select m.id, m.resident_id, m.created_by from public.media_items m
    where m.id = item and m.created_by is not null
  ), stamped as (
    update storage.objects o set owner = item_row.created_by, owner_id = item_row.created_by::text
    from item_row
    where o.bucket_id = 'media'
      and starts_with(o.name, item_row.resident_id::text || '/media/' || item_row.id::text || '/')
    returning 1
  )
  select count(*)::int from stamped
$$;
comment on function public.stamp_media_file_owner(uuid) is
  'For the upload route (service role only): names the media item''s creator as owner of the files in its folder <resident_id>/media/<id>/; returns how many.';
revoke all on function public.stamp_media_file_owner(uuid) from public, anon, authenticated;
grant execute on function public.stamp_media_file_owner(uuid) to service_role;
