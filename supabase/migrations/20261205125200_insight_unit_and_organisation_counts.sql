-- Insight per unit and per organisation from weekly totals, so a year of the
-- whole organisation reads about a hundred rows instead of every active
-- person-week (20261205125000 still grouped some 360,000 rows on the synthetic
-- organisation of `npm run bench:insight`).
--
-- * Each counter row of private.insight_author_weeks notes, when it appears,
--   the resident's unit and organisation and how the person relates to the
--   resident (relative, staff, resident, or other), as the figures define it.
-- * private.insight_scope_people: per unit (and per organisation), week and
--   person, how many counter rows make them active there; a person counts once
--   however many residents they were active for.
-- * private.insight_scope_weeks: per unit (and per organisation) and week, the
--   figures themselves: photos, stories, posts by relatives, staff and the
--   resident, and relatives and staff active.
--
-- A resident who moves to another unit takes their counter rows along: the rows
-- are counted out of the old unit and in again under the new one, relations
-- judged afresh there. Figures for whole weeks come from these totals; the
-- part-weeks at either end of a period, and any set of units that is neither
-- one unit nor a whole organisation, are counted as in 20261205125000.

alter table private.insight_author_weeks add column unit_id uuid, add column organisation_id uuid, add column kind text;
comment on column private.insight_author_weeks.unit_id is 'The resident''s unit when the row was counted.';
comment on column private.insight_author_weeks.organisation_id is 'That unit''s organisation.';
comment on column private.insight_author_weeks.kind is
  'How the person relates to the resident there: relative, staff, resident or other.';
alter table private.insight_resident_weeks add column unit_id uuid, add column organisation_id uuid;
comment on column private.insight_resident_weeks.unit_id is 'The resident''s unit when the row was counted.';
comment on column private.insight_resident_weeks.organisation_id is 'That unit''s organisation.';

create table private.insight_scope_people (
  scope_id uuid not null,
  week_start date not null,
  user_id uuid not null,
  kind text not null check (kind in ('relative', 'staff')),
  refs int not null,
  primary key (scope_id, week_start, user_id, kind)
);
comment on table private.insight_scope_people is
  'Insight: per unit or organisation (scope_id), week and person, how many counter rows make them active there.';
comment on column private.insight_scope_people.scope_id is 'A unit''s or an organisation''s id.';
comment on column private.insight_scope_people.week_start is 'Monday of the week, Europe/Oslo.';
comment on column private.insight_scope_people.user_id is 'The person.';
comment on column private.insight_scope_people.kind is 'relative or staff.';
comment on column private.insight_scope_people.refs is 'Counter rows (resident, week, person) behind it.';
alter table private.insight_scope_people enable row level security;

create table private.insight_scope_weeks (
  scope_id uuid not null,
  week_start date not null,
  photos bigint not null default 0,
  stories bigint not null default 0,
  posts_by_relatives bigint not null default 0,
  posts_by_staff bigint not null default 0,
  posts_by_resident bigint not null default 0,
  relatives_active bigint not null default 0,
  staff_active bigint not null default 0,
  primary key (scope_id, week_start)
);
comment on table private.insight_scope_weeks is
  'Insight: the weekly figures per unit and per organisation (scope_id), kept by triggers on the counters.';
comment on column private.insight_scope_weeks.scope_id is 'A unit''s or an organisation''s id.';
comment on column private.insight_scope_weeks.week_start is 'Monday of the week, Europe/Oslo.';
comment on column private.insight_scope_weeks.photos is 'Photos added.';
comment on column private.insight_scope_weeks.stories is 'Stories added.';
comment on column private.insight_scope_weeks.posts_by_relatives is 'Guestbook posts (not removed) by relatives.';
comment on column private.insight_scope_weeks.posts_by_staff is 'Guestbook posts (not removed) by staff.';
comment on column private.insight_scope_weeks.posts_by_resident is 'Guestbook posts (not removed) by the resident.';
comment on column private.insight_scope_weeks.relatives_active is 'Relatives active (visited or wrote).';
comment on column private.insight_scope_weeks.staff_active is 'Staff active (visited or wrote).';
alter table private.insight_scope_weeks enable row level security;

-- Adds to one scope-week's figures (all amounts of one sign).
create function private.bump_scope_week(scope uuid, week date, photos bigint, stories bigint, by_relatives bigint,
  by_staff bigint, by_resident bigint, relatives bigint, staff bigint)
returns void language plpgsql security definer set search_path = '' as $$
begin
  if scope is null then return; end if;
  insert into private.insight_scope_weeks as w (scope_id, week_start, photos, stories, posts_by_relatives,
    posts_by_staff, posts_by_resident, relatives_active, staff_active)
  values (scope, week, photos, stories, by_relatives, by_staff, by_resident, relatives, staff)
  on conflict (scope_id, week_start) do update set photos = w.photos + excluded.photos,
    stories = w.stories + excluded.stories, posts_by_relatives = w.posts_by_relatives + excluded.posts_by_relatives,
    posts_by_staff = w.posts_by_staff + excluded.posts_by_staff,
    posts_by_resident = w.posts_by_resident + excluded.posts_by_resident,
    relatives_active = w.relatives_active + excluded.relatives_active,
    staff_active = w.staff_active + excluded.staff_active;
end
$$;

-- One more (or one fewer) counter row makes a person active in a scope and week;
-- the active figure changes only when the first row comes or the last one goes.
create function private.count_scope_person(scope uuid, week date, person uuid, person_kind text, n int)
returns void language plpgsql security definer set search_path = '' as $$
declare
  left_refs int;
begin
  if scope is null or person_kind not in ('relative', 'staff') then return; end if;
  if n > 0 then
    insert into private.insight_scope_people as p (scope_id, week_start, user_id, kind, refs)
    values (scope, week, person, person_kind, n)
    on conflict (scope_id, week_start, user_id, kind) do update set refs = p.refs + excluded.refs
    returning refs into left_refs;
  else
    update private.insight_scope_people p set refs = p.refs + n
    where p.scope_id = scope and p.week_start = week and p.user_id = person and p.kind = person_kind
    returning refs into left_refs;
    -- Never counted here (nothing to take off).
    if left_refs is null then return; end if;
  end if;
  if n > 0 and left_refs = n then
    perform private.bump_scope_week(scope, week, 0, 0, 0, 0, 0, (person_kind = 'relative')::int, (person_kind = 'staff')::int);
  elsif n < 0 and left_refs <= 0 then
    delete from private.insight_scope_people p
    where p.scope_id = scope and p.week_start = week and p.user_id = person and p.kind = person_kind;
    perform private.bump_scope_week(scope, week, 0, 0, 0, 0, 0, -(person_kind = 'relative')::int, -(person_kind = 'staff')::int);
  end if;
end
$$;

-- A counter row notes the resident's unit, organisation and the person's relation when it appears.
create function private.place_insight_counter() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  select r.unit_id, u.organisation_id into new.unit_id, new.organisation_id
  from public.residents r join public.units u on u.id = r.unit_id where r.id = new.resident_id;
  if tg_table_name = 'insight_author_weeks' then
    new.kind := coalesce(private.insight_author_kind(new.resident_id, new.unit_id, new.user_id), 'other');
  end if;
  return new;
end
$$;

create trigger place_counter before insert on private.insight_author_weeks
  for each row execute function private.place_insight_counter();
create trigger place_counter before insert on private.insight_resident_weeks
  for each row execute function private.place_insight_counter();

-- Passes a counter row's change on to its unit's and organisation's totals.
create function private.total_author_week() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  row_ record := case when tg_op = 'DELETE' then old else new end;
  posts bigint := case tg_op when 'INSERT' then new.posts when 'DELETE' then -old.posts else new.posts - old.posts end;
  scope uuid;
begin
  foreach scope in array array[row_.unit_id, row_.organisation_id] loop
    if tg_op <> 'UPDATE' then
      perform private.count_scope_person(scope, row_.week_start, row_.user_id, row_.kind,
        case when tg_op = 'INSERT' then 1 else -1 end);
    end if;
    if posts <> 0 then
      perform private.bump_scope_week(scope, row_.week_start, 0, 0, case when row_.kind = 'relative' then posts else 0 end,
        case when row_.kind = 'staff' then posts else 0 end, case when row_.kind = 'resident' then posts else 0 end, 0, 0);
    end if;
  end loop;
  return null;
end
$$;

create function private.total_resident_week() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  row_ record := case when tg_op = 'DELETE' then old else new end;
  photos bigint := case tg_op when 'INSERT' then new.photos when 'DELETE' then -old.photos else new.photos - old.photos end;
  stories bigint := case tg_op when 'INSERT' then new.stories when 'DELETE' then -old.stories
    else new.stories - old.stories end;
  scope uuid;
begin
  foreach scope in array array[row_.unit_id, row_.organisation_id] loop
    if photos <> 0 or stories <> 0 then
      perform private.bump_scope_week(scope, row_.week_start, photos, stories, 0, 0, 0, 0, 0);
    end if;
  end loop;
  return null;
end
$$;

create trigger total_counter after insert or update or delete on private.insight_author_weeks
  for each row execute function private.total_author_week();
create trigger total_counter after insert or update or delete on private.insight_resident_weeks
  for each row execute function private.total_resident_week();

-- A resident moved to another unit: count their rows out of the old unit and in under the new one.
create function private.move_insight_counters() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  authors private.insight_author_weeks[];
  added private.insight_resident_weeks[];
begin
  select coalesce(array_agg(a), '{}') into authors from private.insight_author_weeks a where a.resident_id = new.id;
  select coalesce(array_agg(a), '{}') into added from private.insight_resident_weeks a where a.resident_id = new.id;
  delete from private.insight_author_weeks a where a.resident_id = new.id;
  delete from private.insight_resident_weeks a where a.resident_id = new.id;
  insert into private.insight_author_weeks (resident_id, week_start, user_id, posts, removed_posts, comments, visits)
  select a.resident_id, a.week_start, a.user_id, a.posts, a.removed_posts, a.comments, a.visits from unnest(authors) a;
  insert into private.insight_resident_weeks (resident_id, week_start, photos, stories)
  select a.resident_id, a.week_start, a.photos, a.stories from unnest(added) a;
  return null;
end
$$;

create trigger move_insight_counters after update of unit_id on public.residents
  for each row when (old.unit_id is distinct from new.unit_id) execute function private.move_insight_counters();

-- Counts everything again from the rows, set by set (the per-row triggers would take minutes on a big load).
create or replace function private.rebuild_insight_counters() returns void
language plpgsql security definer set search_path = '' as $$
begin
  alter table private.insight_author_weeks disable trigger user;
  alter table private.insight_resident_weeks disable trigger user;
  truncate private.insight_resident_weeks, private.insight_author_weeks, private.insight_scope_people,
    private.insight_scope_weeks;
  insert into private.insight_resident_weeks (resident_id, week_start, photos, stories, unit_id, organisation_id)
  select x.resident_id, x.week_start, sum(x.photos), sum(x.stories), r.unit_id, u.organisation_id from (
    select m.resident_id, private.oslo_week(m.created_at) as week_start, 1 as photos, 0 as stories
    from public.media_items m where m.kind = 'image'
    union all
    select s.resident_id, private.oslo_week(s.created_at), 0, 1 from public.stories s
  ) x join public.residents r on r.id = x.resident_id join public.units u on u.id = r.unit_id
  group by x.resident_id, x.week_start, r.unit_id, u.organisation_id;
  insert into private.insight_author_weeks (resident_id, week_start, user_id, posts, removed_posts, comments, visits,
    unit_id, organisation_id, kind)
  select x.resident_id, x.week_start, x.user_id, sum(x.posts), sum(x.removed_posts), sum(x.comments), sum(x.visits),
    r.unit_id, u.organisation_id, coalesce(private.insight_author_kind(x.resident_id, r.unit_id, x.user_id), 'other')
  from (
    select p.resident_id, private.oslo_week(p.created_at) as week_start, p.created_by as user_id,
      (p.removed_at is null)::int as posts, (p.removed_at is not null)::int as removed_posts, 0 as comments, 0 as visits
    from public.guestbook_posts p where p.created_by is not null
    union all
    select c.resident_id, private.oslo_week(c.created_at), c.created_by, 0, 0, 1, 0
    from public.guestbook_comments c where c.created_by is not null
    union all
    select v.resident_id, v.week_start, v.user_id, 0, 0, 0, 1 from private.resident_visits v
  ) x join public.residents r on r.id = x.resident_id join public.units u on u.id = r.unit_id
  group by x.resident_id, x.week_start, x.user_id, r.unit_id, u.organisation_id;
  alter table private.insight_author_weeks enable trigger user;
  alter table private.insight_resident_weeks enable trigger user;

  insert into private.insight_scope_people (scope_id, week_start, user_id, kind, refs)
  select s.scope, a.week_start, a.user_id, a.kind, count(*)
  from private.insight_author_weeks a cross join lateral unnest(array[a.unit_id, a.organisation_id]) s(scope)
  where a.kind in ('relative', 'staff')
  group by s.scope, a.week_start, a.user_id, a.kind;
  insert into private.insight_scope_weeks (scope_id, week_start, photos, stories, posts_by_relatives, posts_by_staff,
    posts_by_resident, relatives_active, staff_active)
  select scope, week_start, sum(photos), sum(stories), sum(by_relatives), sum(by_staff), sum(by_resident),
    sum(relatives), sum(staff) from (
    select s.scope, c.week_start, c.photos, c.stories, 0 as by_relatives, 0 as by_staff, 0 as by_resident,
      0 as relatives, 0 as staff
    from private.insight_resident_weeks c cross join lateral unnest(array[c.unit_id, c.organisation_id]) s(scope)
    union all
    select s.scope, a.week_start, 0, 0, case when a.kind = 'relative' then a.posts else 0 end,
      case when a.kind = 'staff' then a.posts else 0 end, case when a.kind = 'resident' then a.posts else 0 end, 0, 0
    from private.insight_author_weeks a cross join lateral unnest(array[a.unit_id, a.organisation_id]) s(scope)
    union all
    select p.scope_id, p.week_start, 0, 0, 0, 0, 0, (p.kind = 'relative')::int, (p.kind = 'staff')::int
    from private.insight_scope_people p
  ) x where scope is not null group by scope, week_start;
end
$$;

select private.rebuild_insight_counters();

-- The figures of 20261205125000, for sets of units that are not one scope and for part-weeks.
alter function private.insight_weeks(uuid[], timestamptz, timestamptz) rename to insight_weeks_by_residents;
comment on function private.insight_weeks_by_residents(uuid[], timestamptz, timestamptz) is
  'Insight: weekly figures from the per-resident counters and rows (any set of units).';

create function private.insight_weeks(unit_ids uuid[], period_start timestamptz, period_end timestamptz)
returns table (week_start date, photos_added bigint, stories_added bigint, posts_by_relatives bigint,
  posts_by_staff bigint, posts_by_resident bigint, relatives_active bigint, staff_active bigint)
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
declare
  first_week date := private.oslo_week(period_start)
    + case when private.oslo_week(period_start)::timestamp at time zone 'Europe/Oslo' = period_start then 0 else 7 end;
  end_week date := greatest(first_week, private.oslo_week(period_end));
  whole_from timestamptz := least(first_week::timestamp at time zone 'Europe/Oslo', period_end);
  whole_to timestamptz := greatest(end_week::timestamp at time zone 'Europe/Oslo', whole_from);
  -- One unit, or every unit of one organisation: the figures are kept for it.
  scope uuid := case when cardinality(unit_ids) = 1 then unit_ids[1] else (
    select u.organisation_id from public.units u where u.id = any (unit_ids)
    group by u.organisation_id
    having count(*) = cardinality(unit_ids)
      and count(*) = (select count(*) from public.units o where o.organisation_id = u.organisation_id)) end;
begin
  if scope is null or first_week >= end_week then
    return query select * from private.insight_weeks_by_residents(unit_ids, period_start, period_end);
    return;
  end if;
  return query
  with parts as (
    select w.week_start, w.photos, w.stories, w.posts_by_relatives, w.posts_by_staff, w.posts_by_resident,
      w.relatives_active, w.staff_active
    from private.insight_scope_weeks w
    where w.scope_id = scope and w.week_start >= first_week and w.week_start < end_week
    union all
    select * from private.insight_weeks_by_residents(unit_ids, period_start, whole_from) where period_start < whole_from
    union all
    select * from private.insight_weeks_by_residents(unit_ids, whole_to, period_end) where whole_to < period_end
  ),
  weeks as (
    select generate_series(date_trunc('week', period_start at time zone 'Europe/Oslo'),
      date_trunc('week', period_end at time zone 'Europe/Oslo'), interval '1 week')::date as week_start
  )
  select w.week_start, coalesce(sum(p.photos), 0)::bigint, coalesce(sum(p.stories), 0)::bigint,
    coalesce(sum(p.posts_by_relatives), 0)::bigint, coalesce(sum(p.posts_by_staff), 0)::bigint,
    coalesce(sum(p.posts_by_resident), 0)::bigint, coalesce(sum(p.relatives_active), 0)::bigint,
    coalesce(sum(p.staff_active), 0)::bigint
  from weeks w left join parts p on p.week_start = w.week_start
  group by w.week_start
  order by w.week_start;
end
$$;
comment on function private.insight_weeks(uuid[], timestamptz, timestamptz) is
  'Insight: per week of the period, photos, stories and guestbook posts added, and relatives and staff active.';

-- The dashboard view follows the name again.
create or replace view insight.unit_weeks_last_year as
  select u.organisation_id, u.id as unit_id, u.name as unit_name, w.*
  from public.units u
  cross join lateral private.insight_weeks(array[u.id], now() - interval '1 year', now()) w;

revoke all on function private.bump_scope_week(uuid, date, bigint, bigint, bigint, bigint, bigint, bigint, bigint),
  private.count_scope_person(uuid, date, uuid, text, int), private.place_insight_counter(),
  private.total_author_week(), private.total_resident_week(), private.move_insight_counters(),
  private.insight_weeks(uuid[], timestamptz, timestamptz) from public;
