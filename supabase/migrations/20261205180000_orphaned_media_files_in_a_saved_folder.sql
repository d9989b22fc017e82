-- The sweep of files no media item names, widened to files inside a saved item's folder.
--
-- Each upload attempt writes its files under marked names ("original-<mark>.jpg", see
-- server/utils/media/store.ts), so two attempts at one item (the same upload key sent twice
-- at once) never overwrite each other; the attempt whose row is not saved removes its own
-- files. If that removal fails, or the server stops before it, those files sit in the folder
-- of an item that does exist, which the first version of this function never looked at.
-- Now a file counts as orphaned when no item names it as its original or as one of its
-- variants, once it is an hour old (an upload may still be on its way before that).

create or replace function public.orphaned_media_files(max_files int default 200)
returns table (name text, created_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select o.name, o.created_at from storage.objects o
  where o.bucket_id = 'media' and o.name ~ '^[0-9a-f-]{36}/media/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/'
    and o.created_at < now() - interval '1 hour'
    and not exists (
      select 1 from public.media_items m
      where m.id = split_part(o.name, '/', 3)::uuid
        and (m.storage_path = o.name
             or exists (select 1 from jsonb_each_text(m.variants) v where v.value = o.name)))
  order by o.created_at limit max_files
$$;
comment on function public.orphaned_media_files(int) is
  'Album files an hour old that no media item names (an upload stopped half-way, or an attempt that lost to another); the sweep removes them.';
revoke all on function public.orphaned_media_files(int) from public, anon, authenticated;
grant execute on function public.orphaned_media_files(int) to service_role;
