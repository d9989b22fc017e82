-- Goals a unit sets itself, with progress; the residents whose family has gone
-- quiet, so staff or volunteers can step in; and the gentle e-mail nudge to a
-- primary contact who chose to hear when nobody in the family has written.

create table public.unit_goals (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references public.units (id) on delete cascade,
  kind text not null check (kind in ('sections_within_weeks', 'glimpse_every_week')),
  sections text[] not null default '{}'
    check (sections <@ array['whoIAm', 'people', 'life', 'stories', 'interests', 'everyday', 'albums']),
  weeks int not null default 4 check (weeks between 1 and 52),
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  check (kind <> 'sections_within_weeks' or cardinality(sections) > 0)
);
create index unit_goals_unit_id_idx on public.unit_goals (unit_id);
comment on table public.unit_goals is
  'Targets a unit sets itself. Progress: public.unit_goal_progress(unit_id).';
comment on column public.unit_goals.id is 'Identifier of the goal.';
comment on column public.unit_goals.unit_id is 'The unit.';
comment on column public.unit_goals.kind is
  'sections_within_weeks: every resident has the sections filled in within `weeks` of arriving; '
  'glimpse_every_week: every resident gets an everyday glimpse every week.';
comment on column public.unit_goals.sections is
  'For sections_within_weeks: whoIAm, people, life, stories, interests, everyday and/or albums.';
comment on column public.unit_goals.weeks is 'For sections_within_weeks: within how many weeks of arrival.';
comment on column public.unit_goals.created_by is 'Who set the goal.';
comment on column public.unit_goals.created_at is 'When.';

alter table public.unit_goals enable row level security;
create policy "Managers and staff of a unit can see its goals" on public.unit_goals
  for select to authenticated
  using ((select private.can_manage_unit(unit_id)) or (select private.unit_role(unit_id)) is not null);
create policy "Managers of a unit can set goals" on public.unit_goals
  for insert to authenticated with check ((select private.can_manage_unit(unit_id)));
create policy "Managers of a unit can remove goals" on public.unit_goals
  for delete to authenticated using ((select private.can_manage_unit(unit_id)));
revoke all on public.unit_goals from anon;
grant select, insert, delete on public.unit_goals to authenticated;

-- Progress per goal, counted over the unit's active residents:
-- sections_within_weeks: `met` filled every section within the weeks after
-- arriving; `not_due` have not met it yet but still have time; the rest missed it.
-- glimpse_every_week: `met` got a glimpse in the last seven days.
create function public.unit_goal_progress(unit uuid) returns table (
  goal_id uuid, kind text, sections text[], weeks int, met bigint, not_due bigint, total bigint
)
language plpgsql stable security definer set search_path = '' as $$
begin
  if not (private.can_manage_unit(unit) or private.unit_role(unit) is not null) then
    raise exception 'Only the unit''s staff and admins can see its goals.'
      using errcode = 'P0001', hint = 'not_allowed_to_see_insight';
  end if;
  return query
  with rs as (select r.id, coalesce(r.arrived_on, (r.created_at at time zone 'Europe/Oslo')::date) as arrived
    from public.residents r where r.unit_id = unit and r.status = 'active'),
  firsts as (
    select rs.id, rs.arrived, jsonb_build_object(
      'people', (select min(x.created_at) from public.relations x where x.resident_id = rs.id),
      'life', (select min(x.created_at) from public.life_events x where x.resident_id = rs.id),
      'stories', (select min(x.created_at) from public.stories x where x.resident_id = rs.id),
      'interests', (select min(x.created_at) from public.interests x where x.resident_id = rs.id),
      'everyday', (select min(x.created_at) from public.everyday_wishes x where x.resident_id = rs.id),
      'albums', (select min(x.created_at) from public.media_items x where x.resident_id = rs.id),
      'whoIAm', (select case when coalesce(length(trim(r.introduction)), 0) > 0 then r.created_at end
                 from public.residents r where r.id = rs.id)) as first_at
    from rs
  ),
  judged as (
    select g.id as goal, f.id as resident,
      case when g.kind = 'glimpse_every_week' then exists (
          select 1 from public.guestbook_posts p where p.resident_id = f.id and p.kind = 'glimpse'
            and p.removed_at is null and p.created_at > now() - interval '7 days')
        else not exists (
          select 1 from unnest(g.sections) s
          where (f.first_at ->> s) is null
            or ((f.first_at ->> s)::timestamptz at time zone 'Europe/Oslo')::date > f.arrived + g.weeks * 7)
      end as is_met,
      g.kind = 'sections_within_weeks' and current_date <= f.arrived + g.weeks * 7 as has_time
    from public.unit_goals g cross join firsts f
    where g.unit_id = unit
  )
  select g.id, g.kind, g.sections, g.weeks,
    count(j.resident) filter (where j.is_met),
    count(j.resident) filter (where not j.is_met and j.has_time),
    count(j.resident)
  from public.unit_goals g left join judged j on j.goal = g.id
  where g.unit_id = unit
  group by g.id, g.kind, g.sections, g.weeks, g.created_at
  order by g.created_at;
end
$$;
comment on function public.unit_goal_progress(uuid) is
  'For each goal of the unit: how many active residents meet it, how many still have time, and how many there are.';

-- Residents whose family has not been active (opened the profile or written in
-- the guestbook) in the last `days` days, or who have no family members at all.
create function public.residents_without_active_relatives(unit uuid, days int default 28)
returns table (resident_id uuid, display_name text, relatives bigint, last_family_activity timestamptz)
language plpgsql stable security definer set search_path = '' as $$
begin
  if not (private.can_manage_unit(unit) or private.unit_role(unit) is not null) then
    raise exception 'Only the unit''s staff and admins can see this list.'
      using errcode = 'P0001', hint = 'not_allowed_to_see_insight';
  end if;
  return query
  with family as (
    select r.id as resident, m.user_id from public.residents r
    join public.resident_members m on m.resident_id = r.id and m.role in ('primary_contact', 'relative', 'viewer')
    where r.unit_id = unit and r.status = 'active'
  ),
  last_activity as (
    select f.resident, max(t.at) as at from family f
    cross join lateral (
      select max(v.last_seen_at) as at from private.resident_visits v
      where v.resident_id = f.resident and v.user_id = f.user_id
      union all
      select max(p.created_at) from public.guestbook_posts p where p.resident_id = f.resident and p.created_by = f.user_id
      union all
      select max(c.created_at) from public.guestbook_comments c
      where c.resident_id = f.resident and c.created_by = f.user_id
    ) t
    group by f.resident
  )
  select r.id, r.display_name, (select count(*) from family f where f.resident = r.id), a.at
  from public.residents r left join last_activity a on a.resident = r.id
  where r.unit_id = unit and r.status = 'active'
    and (a.at is null or a.at < now() - make_interval(days => days))
  order by r.display_name;
end
$$;
comment on function public.residents_without_active_relatives(uuid, int) is
  'The unit''s active residents with no family member active in the last `days` days (or no family at all).';

-- The primary contact's own choice to get a gentle e-mail when the family has gone quiet.
create table public.family_nudge_preferences (
  user_id uuid not null references public.people (id) on delete cascade default auth.uid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  enabled boolean not null default true,
  quiet_weeks int not null default 3 check (quiet_weeks between 2 and 12),
  unsubscribe_token uuid not null unique default gen_random_uuid(),
  last_sent_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (user_id, resident_id)
);
create index family_nudge_preferences_resident_idx on public.family_nudge_preferences (resident_id);
comment on table public.family_nudge_preferences is
  'A primary contact''s choice to hear by e-mail when nobody in the family has written for a few weeks. '
  'Off unless they turn it on; every e-mail has a link that turns it off.';
comment on column public.family_nudge_preferences.user_id is 'The primary contact.';
comment on column public.family_nudge_preferences.resident_id is 'The resident.';
comment on column public.family_nudge_preferences.enabled is 'Whether the e-mails are wanted.';
comment on column public.family_nudge_preferences.quiet_weeks is 'After how many quiet weeks to send one.';
comment on column public.family_nudge_preferences.unsubscribe_token is
  'Secret in the e-mail''s "turn off" link; it can only turn these e-mails off.';
comment on column public.family_nudge_preferences.last_sent_at is 'When the last one went out.';
comment on column public.family_nudge_preferences.updated_at is 'When the choice last changed.';

alter table public.family_nudge_preferences enable row level security;
create policy "People can see their own nudge choices" on public.family_nudge_preferences
  for select to authenticated using (user_id = (select auth.uid()));
create policy "Primary contacts can choose nudges for their resident" on public.family_nudge_preferences
  for insert to authenticated with check (
    user_id = (select auth.uid()) and (select private.resident_role(resident_id)) = 'primary_contact');
create policy "People can change their own nudge choices" on public.family_nudge_preferences
  for update to authenticated using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and (select private.resident_role(resident_id)) = 'primary_contact');
create policy "People can delete their own nudge choices" on public.family_nudge_preferences
  for delete to authenticated using (user_id = (select auth.uid()));
revoke all on public.family_nudge_preferences from anon, authenticated;
grant select (user_id, resident_id, enabled, quiet_weeks, last_sent_at, updated_at),
  insert (resident_id, enabled, quiet_weeks), update (enabled, quiet_weeks), delete
  on public.family_nudge_preferences to authenticated;

create function private.touch_nudge_preference() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end
$$;
create trigger touch_nudge_preference before update on public.family_nudge_preferences
  for each row execute function private.touch_nudge_preference();

-- The nudges due now (service role, for the server's daily task): the person is
-- still the primary contact of an active resident, wants them, nobody in the
-- family (the person included) wrote a post or comment in `quiet_weeks`, and the
-- last nudge is at least as old; a new one never follows the last within that time.
create function public.family_nudges_due(at timestamptz default now()) returns table (
  user_id uuid, email text, resident_id uuid, resident_name text, quiet_weeks int, unsubscribe_token uuid
)
language sql stable security definer set search_path = '' as $$
  select n.user_id, u.email::text, r.id, coalesce(r.preferred_name, r.display_name), n.quiet_weeks,
    n.unsubscribe_token
  from public.family_nudge_preferences n
  join auth.users u on u.id = n.user_id
  join public.residents r on r.id = n.resident_id and r.status = 'active'
  join public.resident_members m on m.resident_id = n.resident_id and m.user_id = n.user_id
    and m.role = 'primary_contact'
  where n.enabled and u.email is not null
    and coalesce(n.last_sent_at, '-infinity') <= at - make_interval(weeks => n.quiet_weeks)
    and not exists (
      select 1 from public.resident_members f
      where f.resident_id = n.resident_id and f.role in ('primary_contact', 'relative', 'viewer')
        and (exists (select 1 from public.guestbook_posts p where p.resident_id = f.resident_id
                     and p.created_by = f.user_id and p.created_at > at - make_interval(weeks => n.quiet_weeks))
          or exists (select 1 from public.guestbook_comments c where c.resident_id = f.resident_id
                     and c.created_by = f.user_id and c.created_at > at - make_interval(weeks => n.quiet_weeks))))
$$;
comment on function public.family_nudges_due(timestamptz) is
  'Service role: the primary contacts due a gentle e-mail because the family has not written for a while.';

create function public.mark_family_nudge_sent(person uuid, resident uuid) returns void
language sql security definer set search_path = '' as $$
  update public.family_nudge_preferences set last_sent_at = now() where user_id = person and resident_id = resident
$$;
comment on function public.mark_family_nudge_sent(uuid, uuid) is 'Service role: records that a nudge went out.';

-- Turns the nudges off by the token in the e-mail; returns the resident's name, or null for an unknown token.
create function public.unsubscribe_family_nudges(token uuid) returns text
language sql security definer set search_path = '' as $$
  with changed as (
    update public.family_nudge_preferences set enabled = false where unsubscribe_token = token
    returning resident_id
  )
  select coalesce(r.preferred_name, r.display_name) from changed c join public.residents r on r.id = c.resident_id
$$;
comment on function public.unsubscribe_family_nudges(uuid) is
  'Service role: turns a primary contact''s nudges off by the token in the e-mail''s link.';

revoke all on function public.unit_goal_progress(uuid), public.residents_without_active_relatives(uuid, int),
  public.family_nudges_due(timestamptz), public.mark_family_nudge_sent(uuid, uuid),
  public.unsubscribe_family_nudges(uuid), private.touch_nudge_preference() from public, anon;
grant execute on function public.unit_goal_progress(uuid), public.residents_without_active_relatives(uuid, int)
  to authenticated;
grant execute on function public.family_nudges_due(timestamptz), public.mark_family_nudge_sent(uuid, uuid),
  public.unsubscribe_family_nudges(uuid) to service_role;
