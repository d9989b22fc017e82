-- When people last visited a profile, and the access overview of one profile
-- for those who manage it: who has access, in which role, invited by whom, since
-- when and when they last came by.
--
-- A visit is stamped once per person, profile and week, and moved forward at
-- most every ten minutes, so opening pages costs one small upsert now and then.
-- The weekly rows also give "active per week" to the insight figures.

create table private.resident_visits (
  resident_id uuid not null references public.residents (id) on delete cascade,
  user_id uuid not null references public.people (id) on delete cascade,
  week_start date not null,
  last_seen_at timestamptz not null default now(),
  primary key (resident_id, user_id, week_start)
);
create index resident_visits_week_idx on private.resident_visits (week_start, resident_id);
comment on table private.resident_visits is
  'One row per person, profile and week (Monday, Oslo time) in which they opened the profile. '
  'Read through public.resident_access_overview and the insight functions; never exposed directly.';
comment on column private.resident_visits.resident_id is 'The profile visited.';
comment on column private.resident_visits.user_id is 'Who visited.';
comment on column private.resident_visits.week_start is 'Monday of the week (Europe/Oslo) of the visits.';
comment on column private.resident_visits.last_seen_at is 'The latest visit that week (to the nearest ten minutes).';

alter table private.resident_visits enable row level security;

-- Security definer: the table is private; the check is that the caller may read the profile.
create function public.record_resident_visit(resident uuid) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if not private.can_read_resident(resident) then
    return;
  end if;
  insert into private.resident_visits as v (resident_id, user_id, week_start)
  values (resident, auth.uid(), date_trunc('week', now() at time zone 'Europe/Oslo')::date)
  on conflict (resident_id, user_id, week_start) do update set last_seen_at = now()
  where v.last_seen_at < now() - interval '10 minutes';
end
$$;
comment on function public.record_resident_visit(uuid) is
  'Stamps that the caller opened the profile (at most every ten minutes); does nothing without read access.';

-- Everyone with access to one profile, for org admins, leaders and superusers of its unit.
create function public.resident_access_overview(resident uuid) returns table (
  user_id uuid, display_name text, access text, role text, relationship text,
  invited_by uuid, invited_by_name text, since timestamptz, last_seen_at timestamptz
)
language plpgsql stable security definer set search_path = '' as $$
begin
  if not private.resident_can(resident, 'manage_resident') then
    raise exception 'Only org admins, leaders and superusers of the resident''s unit can see who has access.'
      using errcode = 'P0001', hint = 'not_allowed_to_see_access';
  end if;
  return query
  with holders as (
    select m.user_id, 'profile' as access, m.role::text as role, m.relationship, m.invited_by, m.created_at
    from public.resident_members m where m.resident_id = resident
    union all
    select m.user_id, 'unit', m.role::text, null, m.invited_by, m.created_at
    from public.residents r join public.unit_members m on m.unit_id = r.unit_id
    where r.id = resident and (r.status = 'active' or m.role = 'leader')
    union all
    select a.user_id, 'organisation', 'org_admin', null, null, a.created_at
    from public.residents r join public.units u on u.id = r.unit_id
    join public.organisation_admins a on a.organisation_id = u.organisation_id
    where r.id = resident
  )
  select h.user_id, p.display_name, h.access, h.role, h.relationship, h.invited_by, i.display_name,
    h.created_at,
    (select max(v.last_seen_at) from private.resident_visits v
     where v.resident_id = resident and v.user_id = h.user_id)
  from holders h
  join public.people p on p.id = h.user_id
  left join public.people i on i.id = h.invited_by
  order by case h.access when 'profile' then 1 when 'unit' then 2 else 3 end, p.display_name;
end
$$;
comment on function public.resident_access_overview(uuid) is
  'Who has access to a profile (members, the unit''s staff, org admins), in which role, invited by whom, '
  'since when and when they last visited. For org admins, leaders and superusers of the unit.';

revoke all on function public.record_resident_visit(uuid), public.resident_access_overview(uuid) from public, anon;
grant execute on function public.record_resident_visit(uuid), public.resident_access_overview(uuid) to authenticated;
