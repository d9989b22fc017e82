-- Consent for living relations (privacy rule 4). A relation who is alive and
-- has a photo or a description needs a recorded confirmation that they (or
-- someone who may speak for them) agreed, as media_items already has for
-- photos of living people. Like there, the database records who confirmed and
-- when: the client only says "confirmed" by setting consent_confirmed_at.

-- NOT VALID: rows saved before this rule existed are not refused wholesale on
-- `supabase db push`; each is checked the next time it is saved, so an old
-- living relation with a photo cannot be edited without someone confirming.
alter table public.relations
  add constraint relations_consent_when_living
  check (is_living is not true
    or (photo_path is null and coalesce(btrim(description), '') = '')
    or consent_confirmed_at is not null) not valid;
comment on constraint relations_consent_when_living on public.relations is
  'A living relation with a photo or a description needs consent_confirmed_at.';

-- Whoever records consent is the caller, never someone named by the client.
create function private.stamp_relation_consent() returns trigger
language plpgsql set search_path = '' as $$
begin
  if current_user <> 'authenticated' then
    return new;
  end if;
  if tg_op = 'INSERT' or new.consent_confirmed_at is distinct from old.consent_confirmed_at then
    new.consent_confirmed_by := case when new.consent_confirmed_at is null then null else auth.uid() end;
    new.consent_confirmed_at := case when new.consent_confirmed_at is null then null else now() end;
  else
    new.consent_confirmed_by := old.consent_confirmed_by;
  end if;
  return new;
end
$$;
comment on function private.stamp_relation_consent() is
  'Trigger: consent for a living relation is recorded as given by the caller, now.';
create trigger stamp_relation_consent before insert or update on public.relations
  for each row execute function private.stamp_relation_consent();
grant execute on function private.stamp_relation_consent() to authenticated;
