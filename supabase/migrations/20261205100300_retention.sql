-- Retention (privacy rule 5): an archived profile (the resident moved or
-- died) is seen only by org admins, the unit's leaders and the primary
-- contact (private.resident_role already says so). After a period the org
-- admin sets, 12 months unless changed, it is deleted, unless someone
-- extends it. The primary contact is reminded by e-mail 30 days before, to
-- export the life story first.
--
-- The deletion itself runs in the app's server (POST /api/privacy/jobs), since
-- stored files can only be deleted through the Storage API; a scheduler calls
-- it daily. These functions say what is due; the service role alone may call them.

alter table public.organisations
  add column retention_months int not null default 12 check (retention_months between 1 and 120);
comment on column public.organisations.retention_months is
  'How many months an archived profile is kept before it is deleted (set with set_retention_months).';

alter table public.residents
  add column retain_until timestamptz,
  add column retention_reminded_at timestamptz;
comment on column public.residents.retain_until is
  'An archived profile is kept at least until this (extend_retention), even if the period has passed.';
comment on column public.residents.retention_reminded_at is
  'When the primary contact was reminded that the archived profile will be deleted.';

-- Restoring a profile starts the clock over if it is archived again.
create function private.reset_retention() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.status = 'active' then
    new.retain_until := null;
    new.retention_reminded_at := null;
  end if;
  return new;
end
$$;
comment on function private.reset_retention() is 'Trigger: an active profile has no retention dates.';
create trigger reset_retention before update of status on public.residents
  for each row execute function private.reset_retention();
grant execute on function private.reset_retention() to authenticated, service_role;

create function private.deletion_due_at(archived_at timestamptz, months int, retain_until timestamptz)
returns timestamptz
language sql immutable set search_path = '' as $$
  select case when archived_at is not null
    then greatest(archived_at + make_interval(months => months), retain_until) end
$$;
comment on function private.deletion_due_at(timestamptz, int, timestamptz) is
  'When an archived profile is due for deletion: the period after archiving, or the extension if later.';
grant execute on function private.deletion_due_at(timestamptz, int, timestamptz) to authenticated, service_role;

create view public.resident_retention with (security_invoker = true) as
  select r.id as resident_id, r.status, r.archived_at, o.retention_months, r.retain_until,
    r.retention_reminded_at, private.deletion_due_at(r.archived_at, o.retention_months, r.retain_until) as delete_after
  from public.residents r
  join public.units u on u.id = r.unit_id
  join public.organisations o on o.id = u.organisation_id;
comment on view public.resident_retention is
  'For each profile the caller sees: when it was archived and when it will be deleted unless extended.';
grant select on public.resident_retention to authenticated;

create function public.set_retention_months(organisation_id uuid, months int) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if not private.is_org_admin(organisation_id) then
    raise exception 'Only an org admin can change how long archived profiles are kept.'
      using errcode = 'P0001', hint = 'not_allowed_to_set_retention';
  end if;
  if months is null or months not between 1 and 120 then
    raise exception 'Choose between 1 and 120 months.' using errcode = 'P0001', hint = 'invalid_months';
  end if;
  update public.organisations o set retention_months = months where o.id = organisation_id;
  insert into public.audit_events (actor_id, action, organisation_id, details)
  values (auth.uid(), 'retention_changed', organisation_id, jsonb_build_object('months', months));
end
$$;
comment on function public.set_retention_months(uuid, int) is
  'Org admins set how many months archived profiles are kept (1 to 120; 12 unless changed).';

create function public.extend_retention(resident_id uuid, months int default 12) returns timestamptz
language plpgsql security definer set search_path = '' as $$
declare
  due timestamptz;
  kept_until timestamptz;
begin
  if private.resident_role(resident_id) is distinct from 'org_admin'
     and private.resident_role(resident_id) is distinct from 'leader' then
    raise exception 'Only an org admin or the unit''s leader can keep an archived profile longer.'
      using errcode = 'P0001', hint = 'not_allowed_to_extend';
  end if;
  if months is null or months not between 1 and 120 then
    raise exception 'Choose between 1 and 120 months.' using errcode = 'P0001', hint = 'invalid_months';
  end if;
  select x.delete_after into due from public.resident_retention x where x.resident_id = extend_retention.resident_id;
  if due is null then
    raise exception 'Only an archived profile has a deletion date to extend.'
      using errcode = 'P0001', hint = 'not_archived';
  end if;
  kept_until := greatest(due, now()) + make_interval(months => months);
  update public.residents r set retain_until = kept_until, retention_reminded_at = null
  where r.id = extend_retention.resident_id;
  perform private.audit('retention_extended', resident_id, null, null,
    jsonb_build_object('months', months, 'until', kept_until));
  return kept_until;
end
$$;
comment on function public.extend_retention(uuid, int) is
  'Keeps an archived profile longer (org admins, the unit''s leaders); returns the new deletion date.';

-- Reminders go 30 days ahead. If the job was not running then, deletion still
-- waits 14 days after the reminder, so nobody loses a profile without warning.
create function public.retention_reminders_due(at timestamptz default now()) returns table (
  resident_id uuid, resident_name text, delete_after timestamptz, email text
)
language sql stable security definer set search_path = '' as $$
  select r.id, coalesce(r.preferred_name, r.display_name),
    greatest(private.deletion_due_at(r.archived_at, o.retention_months, r.retain_until), at + interval '14 days'),
    u.email::text
  from public.residents r
  join public.units un on un.id = r.unit_id
  join public.organisations o on o.id = un.organisation_id
  left join public.resident_members m on m.resident_id = r.id and m.role = 'primary_contact'
  left join auth.users u on u.id = m.user_id
  where r.status = 'archived' and r.retention_reminded_at is null
    and private.deletion_due_at(r.archived_at, o.retention_months, r.retain_until) <= at + interval '30 days'
$$;
comment on function public.retention_reminders_due(timestamptz) is
  'Privacy job: archived profiles to remind about, one row per primary contact (e-mail may be empty).';

create function public.mark_retention_reminded(resident uuid, at timestamptz default now()) returns void
language sql security definer set search_path = '' as $$
  update public.residents set retention_reminded_at = at where id = resident and status = 'archived'
$$;
comment on function public.mark_retention_reminded(uuid, timestamptz) is 'Privacy job: the reminder went out.';

create function public.retention_deletions_due(at timestamptz default now()) returns setof uuid
language sql stable security definer set search_path = '' as $$
  select r.id from public.residents r
  join public.units un on un.id = r.unit_id
  join public.organisations o on o.id = un.organisation_id
  where r.status = 'archived' and r.retention_reminded_at <= at - interval '14 days'
    and private.deletion_due_at(r.archived_at, o.retention_months, r.retain_until) <= at
$$;
comment on function public.retention_deletions_due(timestamptz) is
  'Privacy job: archived profiles whose time is up (and whose reminder went out at least 14 days ago).';

create function public.delete_resident_for_retention(resident uuid) returns table (bucket_id text, name text)
language plpgsql security definer set search_path = '' as $$
begin
  perform private.audit('resident_deleted', resident, null, null, '{"reason": "retention"}');
  delete from public.residents r where r.id = resident and r.status = 'archived';
  return query select o.bucket_id, o.name from storage.objects o
    where o.bucket_id = 'media' and o.name like resident::text || '/%';
end
$$;
comment on function public.delete_resident_for_retention(uuid) is
  'Privacy job: deletes an archived profile whose time is up; returns the storage keys to delete.';

revoke all on function public.set_retention_months(uuid, int), public.extend_retention(uuid, int),
  public.retention_reminders_due(timestamptz), public.mark_retention_reminded(uuid, timestamptz),
  public.retention_deletions_due(timestamptz), public.delete_resident_for_retention(uuid)
  from public, anon, authenticated;
grant execute on function public.set_retention_months(uuid, int), public.extend_retention(uuid, int)
  to authenticated;
grant execute on function public.retention_reminders_due(timestamptz), public.mark_retention_reminded(uuid, timestamptz),
  public.retention_deletions_due(timestamptz), public.delete_resident_for_retention(uuid) to service_role;
