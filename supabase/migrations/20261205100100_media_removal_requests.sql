-- "Bilder av meg": a person tagged in a photo (media_people.person_id) who
-- uses Minnespor sees the photos they are in, on any profile, and may ask for
-- a photo or their tag to be removed. Staff and the primary contact (those
-- who may moderate the profile) answer: remove the photo, remove the tag, or
-- decline. Requests and answers go through RPCs; nobody writes the table.

create table public.media_removal_requests (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  media_item_id uuid,
  requested_by uuid not null references public.people (id) on delete cascade default auth.uid(),
  reason text check (length(reason) <= 1000),
  status text not null default 'pending'
    check (status in ('pending', 'photo_removed', 'tag_removed', 'declined')),
  decided_by uuid references public.people (id) on delete set null,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  -- The request outlives the photo it asked about, so the person sees the answer.
  foreign key (media_item_id, resident_id) references public.media_items (id, resident_id)
    on delete set null (media_item_id),
  check ((status = 'pending') = (decided_at is null))
);
create index media_removal_requests_resident_id_idx on public.media_removal_requests (resident_id, created_at desc);
create index media_removal_requests_requested_by_idx on public.media_removal_requests (requested_by);
create index media_removal_requests_media_item_id_idx on public.media_removal_requests (media_item_id);
create unique index media_removal_requests_one_pending_idx
  on public.media_removal_requests (media_item_id, requested_by) where status = 'pending';
comment on table public.media_removal_requests is
  'Requests from a person tagged in a photo to remove the photo or their tag. Made with '
  'request_media_removal, answered with decide_media_removal (which returns the files to delete).';
comment on column public.media_removal_requests.id is 'Identifier of the request.';
comment on column public.media_removal_requests.resident_id is 'The profile the photo belongs to.';
comment on column public.media_removal_requests.media_item_id is 'The photo or video; empty once it was removed.';
comment on column public.media_removal_requests.requested_by is 'The tagged person who asked.';
comment on column public.media_removal_requests.reason is 'Why, in the person''s own words (optional).';
comment on column public.media_removal_requests.status is 'pending, photo_removed, tag_removed or declined.';
comment on column public.media_removal_requests.decided_by is 'Who answered.';
comment on column public.media_removal_requests.decided_at is 'When it was answered.';
comment on column public.media_removal_requests.created_at is 'When it was asked.';

alter table public.media_removal_requests enable row level security;
revoke all on public.media_removal_requests from anon, authenticated;
grant select on public.media_removal_requests to authenticated;

create policy "People can see their own removal requests" on public.media_removal_requests
  for select to authenticated using (requested_by = (select auth.uid()));
create policy "Moderators can see a profile's removal requests" on public.media_removal_requests
  for select to authenticated using (resident_id in (select private.resident_ids_with('moderate')));

-- The storage keys of one media item: the original, every variant, and
-- anything else in its own folder (<resident>/media/<id>/), so that no file
-- that belonged to it is left behind.
create function private.media_item_storage_keys(item uuid) returns table (bucket_id text, name text)
language sql stable security definer set search_path = '' as $$
  select 'media', k.name from (
    select m.storage_path as name from public.media_items m where m.id = item
    union
    select v.value from public.media_items m, jsonb_each_text(m.variants) v where m.id = item
    union
    select o.name from public.media_items m
    join storage.objects o on o.bucket_id = 'media'
      and o.name like m.resident_id::text || '/media/' || m.id::text || '/%'
    where m.id = item
  ) k
  where k.name is not null
$$;
comment on function private.media_item_storage_keys(uuid) is
  'Keys in bucket "media" of a media item: original, variants and its folder.';

create function public.photos_of_me() returns table (
  media_item_id uuid, resident_id uuid, resident_name text, kind text, caption text,
  taken_year int, place text, thumbnail_path text, display_path text,
  request_id uuid, request_status text, requested_at timestamptz, decided_at timestamptz
)
language plpgsql stable security definer set search_path = '' as $$
begin
  if not private.has_accepted_terms() then
    return;
  end if;
  return query
  select m.id, m.resident_id, coalesce(r.preferred_name, r.display_name), m.kind, m.caption,
    m.taken_year, m.place, m.variants ->> 'thumbnail', coalesce(m.variants ->> 'display', m.storage_path),
    q.id, q.status, q.created_at, q.decided_at
  from public.media_items m
  join public.residents r on r.id = m.resident_id
  left join lateral (
    select x.* from public.media_removal_requests x
    where x.media_item_id = m.id and x.requested_by = auth.uid()
    order by x.created_at desc limit 1
  ) q on true
  where exists (select 1 from public.media_people p where p.media_item_id = m.id and p.person_id = auth.uid())
  order by m.created_at desc;
end
$$;
comment on function public.photos_of_me() is
  'The photos and videos the caller is tagged in, on any profile, with their latest removal request. '
  'The app''s server signs the picture addresses, since the person may not be a member of that profile.';

create function public.my_removal_answers() returns table (
  request_id uuid, resident_name text, status text, requested_at timestamptz, decided_at timestamptz
)
language sql stable security definer set search_path = '' as $$
  select q.id, coalesce(r.preferred_name, r.display_name), q.status, q.created_at, q.decided_at
  from public.media_removal_requests q
  join public.residents r on r.id = q.resident_id
  where q.requested_by = auth.uid() and q.media_item_id is null
  order by q.created_at desc
$$;
comment on function public.my_removal_answers() is
  'The caller''s answered requests whose photo is gone (photos_of_me no longer lists them).';

create function public.request_media_removal(media_item uuid, reason text default null) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  item public.media_items;
  new_id uuid;
begin
  select m.* into item from public.media_items m where m.id = media_item;
  if not found or not private.has_accepted_terms() or not exists (
    select 1 from public.media_people p where p.media_item_id = item.id and p.person_id = auth.uid()) then
    raise exception 'You can only ask to remove photos you are tagged in.'
      using errcode = 'P0001', hint = 'not_tagged';
  end if;
  if length(reason) > 1000 then
    raise exception 'Keep the reason under 1000 characters.' using errcode = 'P0001', hint = 'reason_too_long';
  end if;
  insert into public.media_removal_requests (resident_id, media_item_id, requested_by, reason)
  values (item.resident_id, item.id, auth.uid(), nullif(btrim(reason), ''))
  on conflict (media_item_id, requested_by) where status = 'pending'
  do update set reason = excluded.reason
  returning id into new_id;
  return new_id;
end
$$;
comment on function public.request_media_removal(uuid, text) is
  'A person tagged in a photo asks for it (or their tag) to be removed; asking again updates the reason.';

-- Removing the photo deletes its rows here and returns its files, which the
-- server deletes through the Storage API (the database cannot delete files).
create function public.decide_media_removal(request uuid, decision text)
returns table (bucket_id text, name text)
language plpgsql security definer set search_path = '' as $$
declare
  req public.media_removal_requests;
begin
  select q.* into req from public.media_removal_requests q where q.id = request for update;
  if not found or not private.can_moderate(req.resident_id) then
    raise exception 'Only staff and the primary contact of the profile can answer this request.'
      using errcode = 'P0001', hint = 'not_allowed_to_decide';
  end if;
  if req.status <> 'pending' then
    raise exception 'This request has already been answered.' using errcode = 'P0001', hint = 'already_decided';
  end if;
  if decision is null or decision not in ('remove_photo', 'remove_tag', 'decline') then
    raise exception 'Choose to remove the photo, remove the tag, or decline.'
      using errcode = 'P0001', hint = 'invalid_decision';
  end if;

  update public.media_removal_requests q
  set status = case decision when 'remove_photo' then 'photo_removed'
                             when 'remove_tag' then 'tag_removed' else 'declined' end,
      decided_by = auth.uid(), decided_at = now()
  where q.media_item_id = req.media_item_id and q.status = 'pending'
    and (decision = 'remove_photo' or q.id = req.id);

  if decision = 'remove_photo' and req.media_item_id is not null then
    return query select * from private.media_item_storage_keys(req.media_item_id);
    delete from public.media_items m where m.id = req.media_item_id;
  elsif decision = 'remove_tag' then
    delete from public.media_people p
    where p.media_item_id = req.media_item_id and p.person_id = req.requested_by;
  end if;
  perform private.audit('media_removal_' || decision, req.resident_id, null, req.requested_by,
    jsonb_build_object('request_id', req.id));
end
$$;
comment on function public.decide_media_removal(uuid, text) is
  'Staff or the primary contact answer a removal request: remove_photo, remove_tag or decline. '
  'Returns the storage keys the server must delete when the photo goes.';

revoke all on function public.photos_of_me(), public.my_removal_answers(),
  public.request_media_removal(uuid, text), public.decide_media_removal(uuid, text) from public, anon;
grant execute on function public.photos_of_me(), public.my_removal_answers(),
  public.request_media_removal(uuid, text), public.decide_media_removal(uuid, text) to authenticated;
