-- media_items.variants is written straight through the API by any contributor,
-- and the server later uses those keys with its secret key (deleting a photo on
-- a removal request, signing "Bilder av meg"). An upload keeps every variant in
-- the item's own folder "<resident_id>/media/<id>/", so that is now required of
-- every new or changed row, and the list of keys to delete keeps only keys in
-- that folder (rows written before this check are not trusted either).

-- True when every variant is null or a key inside the item's own folder.
create function private.media_variants_in_folder(resident uuid, item uuid, variants jsonb) returns boolean
language sql immutable set search_path = '' as $$
  select jsonb_typeof(variants) = 'object' and not exists (
    select 1 from jsonb_each(variants) v
    where v.value <> 'null'::jsonb and not (
      jsonb_typeof(v.value) = 'string'
      and starts_with(v.value #>> '{}', resident::text || '/media/' || item::text || '/')
      and position('..' in v.value #>> '{}') = 0))
$$;
comment on function private.media_variants_in_folder(uuid, uuid, jsonb) is
  'Whether every variant key of a media item lies in its own folder <resident_id>/media/<id>/.';
revoke all on function private.media_variants_in_folder(uuid, uuid, jsonb) from public;
grant execute on function private.media_variants_in_folder(uuid, uuid, jsonb) to authenticated, service_role;

-- "not valid": checked for every insert and update from now on, without
-- refusing the migration over an old row; old rows are filtered below.
alter table public.media_items add constraint media_items_variants_in_own_folder
  check (private.media_variants_in_folder(resident_id, id, variants)) not valid;

-- The storage keys of one media item: the original and its variants when they
-- lie in its own folder (an original of the demo seed's older layout,
-- "<resident>/albums/…", still counts), and anything else in that folder.
create or replace function private.media_item_storage_keys(item uuid) returns table (bucket_id text, name text)
language sql stable security definer set search_path = '' as $$
  with own as (
    select m.id, m.storage_path, m.variants, m.resident_id::text || '/media/' || m.id::text || '/' as folder
    from public.media_items m where m.id = item
  )
  select 'media', k.name from (
    select own.storage_path as name from own
    where starts_with(own.storage_path, own.folder) or own.storage_path not like '%/media/%'
    union
    select v.value from own, jsonb_each_text(own.variants) v where starts_with(v.value, own.folder)
    union
    select o.name from own join storage.objects o on o.bucket_id = 'media' and starts_with(o.name, own.folder)
  ) k
  where k.name is not null and position('..' in k.name) = 0
$$;
comment on function private.media_item_storage_keys(uuid) is
  'Keys in bucket "media" of a media item: original, variants and its folder, only keys inside its own folder.';
revoke all on function private.media_item_storage_keys(uuid) from public;
