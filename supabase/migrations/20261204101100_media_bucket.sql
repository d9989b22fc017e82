-- The private bucket "media" for photos and videos. A resident's files live
-- under "<resident_id>/", a person's own photo under "people/<user_id>/";
-- the same access helpers as the tables decide who may do what.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('media', 'media', false, 100 * 1024 * 1024, array[
  'image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/heic', 'image/heif',
  'video/mp4', 'video/quicktime'])
on conflict (id) do update set public = excluded.public, file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

create function private.person_id_from_path(name text) returns uuid
language sql immutable set search_path = '' as $$
  select case when name ~* '^people/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.'
    then split_part(name, '/', 2)::uuid end
$$;
comment on function private.person_id_from_path(text) is
  'The user whose own photo a storage key is (people/<user_id>/...), or null.';
revoke all on function private.person_id_from_path(text) from public;
grant execute on function private.person_id_from_path(text) to authenticated, service_role;

create policy "Readers of a resident can see its media files" on storage.objects
  for select to authenticated using (bucket_id = 'media'
    and private.resident_id_from_path(name) in (select private.resident_ids_with('read')));
create policy "Contributors can upload media files for a resident" on storage.objects
  for insert to authenticated with check (bucket_id = 'media'
    and private.resident_id_from_path(name) in (select private.resident_ids_with('contribute')));
create policy "Uploaders and moderators can replace media files" on storage.objects
  for update to authenticated
  using (bucket_id = 'media' and (
    (owner_id = (select auth.uid())::text
      and private.resident_id_from_path(name) in (select private.resident_ids_with('contribute')))
    or private.resident_id_from_path(name) in (select private.resident_ids_with('moderate'))))
  with check (bucket_id = 'media' and (
    (owner_id = (select auth.uid())::text
      and private.resident_id_from_path(name) in (select private.resident_ids_with('contribute')))
    or private.resident_id_from_path(name) in (select private.resident_ids_with('moderate'))));
create policy "Uploaders and moderators can delete media files" on storage.objects
  for delete to authenticated using (bucket_id = 'media' and (
    (owner_id = (select auth.uid())::text
      and private.resident_id_from_path(name) in (select private.resident_ids_with('read')))
    or private.resident_id_from_path(name) in (select private.resident_ids_with('moderate'))));

create policy "People can see the photos of people they may see" on storage.objects
  for select to authenticated using (bucket_id = 'media'
    and private.person_id_from_path(name) in (select private.visible_person_ids()));
create policy "People can upload their own photo" on storage.objects
  for insert to authenticated with check (bucket_id = 'media'
    and private.person_id_from_path(name) = (select auth.uid()));
create policy "People can replace their own photo" on storage.objects
  for update to authenticated
  using (bucket_id = 'media' and private.person_id_from_path(name) = (select auth.uid()))
  with check (bucket_id = 'media' and private.person_id_from_path(name) = (select auth.uid()));
create policy "People can delete their own photo" on storage.objects
  for delete to authenticated
  using (bucket_id = 'media' and private.person_id_from_path(name) = (select auth.uid()));
