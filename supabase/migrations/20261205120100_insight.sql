-- Insight (goals and effects): how profiles are filled in and how the tool is
-- used, per unit and per organisation, over a chosen period. Only counts leave
-- the database: the functions return numbers and week dates, never names or
-- content, and check that the caller is an org admin, or a leader or superuser
-- of the unit.
--
-- Definitions (also in docs/admin.md):
-- * A section is filled in when it has at least one entry (hidden ones count);
--   "Who I am" when the introduction is written.
-- * Relatives are the profile's primary contact, relatives and viewers; staff
--   are the unit's members and the organisation's admins; the resident's own
--   posts are counted apart.
-- * Someone is active in a week when they opened the profile (see
--   private.resident_visits) or wrote a guestbook post or comment that week.
-- * A profile is usable when "Who I am" has an introduction and "My people"
--   and "My life" each have an entry. It became usable when the later of the
--   first person and the first life event was added (the introduction's own
--   date is not kept). Time to usable is counted in days from arrival
--   (arrived_on, or the day the profile was created when arrival is unknown).

-- Per-resident facts the figures are built from: the section flags, when it
-- became usable, and how the author of a row relates to the resident.
create function private.insight_residents(unit_ids uuid[]) returns table (
  resident_id uuid, unit_id uuid, is_active boolean, who_i_am boolean, people boolean, life boolean,
  stories boolean, interests boolean, everyday boolean, albums boolean,
  arrived date, usable_at timestamptz
)
language sql stable security definer set search_path = '' as $$
  select r.id, r.unit_id, r.status = 'active', coalesce(length(trim(r.introduction)), 0) > 0,
    rel.first is not null, ev.first is not null,
    exists (select 1 from public.stories s where s.resident_id = r.id),
    exists (select 1 from public.interests i where i.resident_id = r.id),
    exists (select 1 from public.everyday_wishes w where w.resident_id = r.id),
    exists (select 1 from public.media_items m where m.resident_id = r.id),
    coalesce(r.arrived_on, (r.created_at at time zone 'Europe/Oslo')::date),
    case when coalesce(length(trim(r.introduction)), 0) > 0 and rel.first is not null and ev.first is not null
      then greatest(rel.first, ev.first, r.created_at) end
  from public.residents r
  left join lateral (select min(x.created_at) as first from public.relations x where x.resident_id = r.id) rel on true
  left join lateral (select min(x.created_at) as first from public.life_events x where x.resident_id = r.id) ev on true
  where r.unit_id = any (unit_ids)
$$;
comment on function private.insight_residents(uuid[]) is
  'Insight: per resident of the units, which sections are filled in and when the profile became usable.';

-- Who counts as relative or staff for a resident: 'relative', 'staff', 'resident' or null.
create function private.insight_author_kind(resident uuid, unit uuid, author uuid) returns text
language sql stable security definer set search_path = '' as $$
  select coalesce(
    (select case when m.role = 'resident' then 'resident' else 'relative' end
     from public.resident_members m where m.resident_id = resident and m.user_id = author),
    (select 'staff' from public.unit_members m where m.unit_id = unit and m.user_id = author),
    (select 'staff' from public.units u join public.organisation_admins a on a.organisation_id = u.organisation_id
     where u.id = unit and a.user_id = author))
$$;
comment on function private.insight_author_kind(uuid, uuid, uuid) is
  'Insight: whether a person is a relative, staff or the resident themself for the resident (null: neither).';

-- Week by week over the period: what was added and how many people were active.
create function private.insight_weeks(unit_ids uuid[], period_start timestamptz, period_end timestamptz)
returns table (week_start date, photos_added bigint, stories_added bigint, posts_by_relatives bigint,
  posts_by_staff bigint, posts_by_resident bigint, relatives_active bigint, staff_active bigint)
language sql stable security definer set search_path = '' as $$
  with rs as (
    select r.id, r.unit_id from public.residents r where r.unit_id = any (unit_ids)
  ),
  weeks as (
    select generate_series(date_trunc('week', period_start at time zone 'Europe/Oslo'),
      date_trunc('week', period_end at time zone 'Europe/Oslo'), interval '1 week')::date as week_start
  ),
  additions as (
    select date_trunc('week', m.created_at at time zone 'Europe/Oslo')::date as week_start, 'photo' as what
    from public.media_items m join rs on rs.id = m.resident_id
    where m.kind = 'image' and m.created_at >= period_start and m.created_at < period_end
    union all
    select date_trunc('week', s.created_at at time zone 'Europe/Oslo')::date, 'story'
    from public.stories s join rs on rs.id = s.resident_id
    where s.created_at >= period_start and s.created_at < period_end
    union all
    select date_trunc('week', p.created_at at time zone 'Europe/Oslo')::date,
      'post_' || coalesce(private.insight_author_kind(rs.id, rs.unit_id, p.created_by), 'other')
    from public.guestbook_posts p join rs on rs.id = p.resident_id
    where p.removed_at is null and p.created_at >= period_start and p.created_at < period_end
  ),
  activity as (
    select v.week_start, v.resident_id, v.user_id from private.resident_visits v join rs on rs.id = v.resident_id
    where v.last_seen_at >= period_start and v.week_start < period_end
    union
    select date_trunc('week', p.created_at at time zone 'Europe/Oslo')::date, p.resident_id, p.created_by
    from public.guestbook_posts p join rs on rs.id = p.resident_id
    where p.created_at >= period_start and p.created_at < period_end and p.created_by is not null
    union
    select date_trunc('week', c.created_at at time zone 'Europe/Oslo')::date, c.resident_id, c.created_by
    from public.guestbook_comments c join rs on rs.id = c.resident_id
    where c.created_at >= period_start and c.created_at < period_end and c.created_by is not null
  ),
  active as (
    select a.week_start, a.user_id, private.insight_author_kind(a.resident_id, rs.unit_id, a.user_id) as kind
    from activity a join rs on rs.id = a.resident_id
  )
  select w.week_start,
    (select count(*) from additions a where a.week_start = w.week_start and a.what = 'photo'),
    (select count(*) from additions a where a.week_start = w.week_start and a.what = 'story'),
    (select count(*) from additions a where a.week_start = w.week_start and a.what = 'post_relative'),
    (select count(*) from additions a where a.week_start = w.week_start and a.what = 'post_staff'),
    (select count(*) from additions a where a.week_start = w.week_start and a.what = 'post_resident'),
    (select count(distinct a.user_id) from active a where a.week_start = w.week_start and a.kind = 'relative'),
    (select count(distinct a.user_id) from active a where a.week_start = w.week_start and a.kind = 'staff')
  from weeks w
  order by w.week_start
$$;
comment on function private.insight_weeks(uuid[], timestamptz, timestamptz) is
  'Insight: per week of the period, photos, stories and guestbook posts added, and relatives and staff active.';

-- All figures for a set of units as one JSON object of counts.
create function private.insight_for_units(unit_ids uuid[], period_start timestamptz, period_end timestamptz)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  result jsonb;
begin
  if period_end <= period_start then
    raise exception 'The period must end after it starts.' using errcode = 'P0001', hint = 'invalid_period';
  end if;
  if period_end - period_start > interval '3 years' then
    raise exception 'Choose a period of at most three years.' using errcode = 'P0001', hint = 'period_too_long';
  end if;
  with facts as (select * from private.insight_residents(unit_ids)),
  active as (select * from facts where is_active),
  usable as (
    select (f.usable_at at time zone 'Europe/Oslo')::date - f.arrived as days from facts f
    where f.usable_at >= period_start and f.usable_at < period_end
  ),
  weeks as (select * from private.insight_weeks(unit_ids, period_start, period_end))
  select jsonb_build_object(
    'residents', (select count(*) from active),
    'sections', jsonb_build_object(
      'whoIAm', (select count(*) from active where who_i_am),
      'people', (select count(*) from active where people),
      'life', (select count(*) from active where life),
      'stories', (select count(*) from active where stories),
      'interests', (select count(*) from active where interests),
      'everyday', (select count(*) from active where everyday),
      'albums', (select count(*) from active where albums)),
    'usable', jsonb_build_object(
      'now', (select count(*) from active where usable_at is not null),
      'becameUsable', (select count(*) from usable),
      'medianDays', (select percentile_disc(0.5) within group (order by greatest(days, 0)) from usable)),
    'totals', jsonb_build_object(
      'photosAdded', (select coalesce(sum(photos_added), 0) from weeks),
      'storiesAdded', (select coalesce(sum(stories_added), 0) from weeks),
      'postsByRelatives', (select coalesce(sum(posts_by_relatives), 0) from weeks),
      'postsByStaff', (select coalesce(sum(posts_by_staff), 0) from weeks),
      'postsByResident', (select coalesce(sum(posts_by_resident), 0) from weeks)),
    'weeks', (select coalesce(jsonb_agg(jsonb_build_object(
      'weekStart', w.week_start, 'photosAdded', w.photos_added, 'storiesAdded', w.stories_added,
      'postsByRelatives', w.posts_by_relatives, 'postsByStaff', w.posts_by_staff,
      'relativesActive', w.relatives_active, 'staffActive', w.staff_active) order by w.week_start), '[]')
      from weeks w))
  into result;
  return result;
end
$$;
comment on function private.insight_for_units(uuid[], timestamptz, timestamptz) is
  'Insight: every figure for a set of units over a period, as a JSON object of counts.';

create function public.unit_insight(unit uuid, period_start timestamptz, period_end timestamptz) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  if not exists (select 1 from public.units u where u.id = unit
                 and (private.is_org_admin(u.organisation_id) or private.unit_role(u.id) in ('leader', 'superuser'))) then
    raise exception 'Only org admins, leaders and superusers of this unit can see its insight.'
      using errcode = 'P0001', hint = 'not_allowed_to_see_insight';
  end if;
  return private.insight_for_units(array[unit], period_start, period_end);
end
$$;
comment on function public.unit_insight(uuid, timestamptz, timestamptz) is
  'Insight figures (counts only) for one unit over a period; org admins, leaders and superusers of the unit.';

create function public.organisation_insight(organisation uuid, period_start timestamptz, period_end timestamptz)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  if not private.is_org_admin(organisation) then
    raise exception 'Only org admins can see the insight of the whole organisation.'
      using errcode = 'P0001', hint = 'not_allowed_to_see_insight';
  end if;
  return private.insight_for_units(
    array(select u.id from public.units u where u.organisation_id = organisation), period_start, period_end);
end
$$;
comment on function public.organisation_insight(uuid, timestamptz, timestamptz) is
  'Insight figures (counts only) for every unit of an organisation over a period; org admins only.';

-- Views for the dashboard's SQL editor (the postgres role). They live in their
-- own schema, which the API does not expose and app users cannot use.
create schema insight;
comment on schema insight is
  'Insight figures for the dashboard''s SQL editor: counts per unit, never content. Not exposed to the API.';
revoke all on schema insight from public, anon, authenticated;

create view insight.unit_profile_sections as
  select u.organisation_id, u.id as unit_id, u.name as unit_name,
    count(f.resident_id) as residents,
    count(*) filter (where f.who_i_am) as who_i_am, count(*) filter (where f.people) as people,
    count(*) filter (where f.life) as life, count(*) filter (where f.stories) as stories,
    count(*) filter (where f.interests) as interests, count(*) filter (where f.everyday) as everyday,
    count(*) filter (where f.albums) as albums,
    count(*) filter (where f.usable_at is not null) as usable
  from public.units u
  left join lateral private.insight_residents(array[u.id]) f on f.is_active
  group by u.organisation_id, u.id, u.name;
comment on view insight.unit_profile_sections is
  'Per unit: active residents and how many have each section filled in, and how many profiles are usable.';

create view insight.unit_weeks_last_year as
  select u.organisation_id, u.id as unit_id, u.name as unit_name, w.*
  from public.units u
  cross join lateral private.insight_weeks(array[u.id], now() - interval '1 year', now()) w;
comment on view insight.unit_weeks_last_year is
  'Per unit and week of the last year: photos, stories and guestbook posts added, relatives and staff active.';

create view insight.resident_time_to_usable as
  select u.organisation_id, f.unit_id, f.resident_id, f.arrived, f.usable_at,
    (f.usable_at at time zone 'Europe/Oslo')::date - f.arrived as days_to_usable
  from public.units u cross join lateral private.insight_residents(array[u.id]) f;
comment on view insight.resident_time_to_usable is
  'Per resident (id only): arrival, when the profile became usable (null: not yet) and the days in between.';

revoke all on all tables in schema insight from public, anon, authenticated;

revoke all on function private.insight_residents(uuid[]), private.insight_author_kind(uuid, uuid, uuid),
  private.insight_weeks(uuid[], timestamptz, timestamptz),
  private.insight_for_units(uuid[], timestamptz, timestamptz) from public;
revoke all on function public.unit_insight(uuid, timestamptz, timestamptz),
  public.organisation_insight(uuid, timestamptz, timestamptz) from public, anon;
grant execute on function public.unit_insight(uuid, timestamptz, timestamptz),
  public.organisation_insight(uuid, timestamptz, timestamptz) to authenticated;
