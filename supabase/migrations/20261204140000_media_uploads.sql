-- What the album upload needs from the database: the name a file had on the
-- phone (kept as data; storage keys stay ASCII), a consent rule the app
-- cannot forget, and a way to ask "may I upload here?" before spending a
-- minute of CPU on a photo that RLS would refuse anyway.

alter table public.media_items
  add column file_name text check (length(file_name) <= 255);
comment on column public.media_items.file_name is 'The file''s name as uploaded (NFC), shown and used for downloads.';

-- A photo of a living person needs a recorded confirmation; "by" may later
-- become null when that person is deleted, "at" stays.
alter table public.media_items
  add constraint media_items_consent_when_living_people
  check (not shows_living_people or consent_confirmed_at is not null);

-- Whoever records consent is the caller, never someone named by the client.
create function private.stamp_media_consent() returns trigger
language plpgsql set search_path = '' as $$
begin
  if current_user = 'authenticated' and new.consent_confirmed_at is distinct from
     (case when tg_op = 'UPDATE' then old.consent_confirmed_at end) then
    new.consent_confirmed_by := case when new.consent_confirmed_at is null then null else auth.uid() end;
    new.consent_confirmed_at := case when new.consent_confirmed_at is null then null else now() end;
  end if;
  return new;
end
$$;
comment on function private.stamp_media_consent() is
  'Trigger: consent to show living people is recorded as given by the caller, now.';
create trigger stamp_media_consent before insert or update on public.media_items
  for each row execute function private.stamp_media_consent();

create function public.can_upload_media(resident uuid) returns boolean
language sql stable security invoker set search_path = '' as $$
  select private.can_contribute(resident)
$$;
comment on function public.can_upload_media(uuid) is
  'Whether the caller may upload photos and videos for the resident (storage and row RLS still decide).';
revoke all on function public.can_upload_media(uuid) from public, anon;
grant execute on function public.can_upload_media(uuid) to authenticated;
