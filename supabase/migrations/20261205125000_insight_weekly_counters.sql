-- Insight from weekly counters kept by triggers, instead of reading a year of
-- guestbook posts, comments, photos and visits at every call. The org's year on
-- `npm run bench:insight` took seconds with 20261205120500; the work per call is
-- now proportional to the people active per week, not to everything written.
--
-- * private.insight_resident_weeks: per resident and week (Monday, Oslo time),
--   photos and stories added.
-- * private.insight_author_weeks: per resident, week and person, their guestbook
--   posts (shown and removed), comments and whether they opened the profile.
--
-- Counters are keyed by resident, not unit, so a resident moving to another unit
-- takes their figures along (the unit is looked up at query time); who counts as
-- relative or staff is also decided at query time, as before. Inserts, deletes
-- and updates (resident, author, date, removal, kind) adjust the counters; a row
-- whose counts all reach zero is deleted.
--
-- Periods need not start or end on a Monday: whole weeks inside the period come
-- from the counters, the part-weeks at either end are counted from the rows, so
-- the figures are exactly those of the earlier definition. That definition stays
-- as private.insight_weeks_afresh, to check the counters against (tests do).

create table private.insight_resident_weeks (
  resident_id uuid not null references public.residents (id) on delete cascade,
  week_start date not null,
  photos bigint not null default 0,
  stories bigint not null default 0,
  primary key (resident_id, week_start)
);
comment on table private.insight_resident_weeks is
  'Insight counters: photos (image media items) and stories added per resident and week (Monday, Oslo time). '
  'Kept by triggers; never exposed to the API.';
comment on column private.insight_resident_weeks.resident_id is 'The resident.';
comment on column private.insight_resident_weeks.week_start is 'Monday of the week, Europe/Oslo.';
comment on column private.insight_resident_weeks.photos is 'Image media items created that week.';
comment on column private.insight_resident_weeks.stories is 'Stories created that week.';
alter table private.insight_resident_weeks enable row level security;

create table private.insight_author_weeks (
  resident_id uuid not null references public.residents (id) on delete cascade,
  week_start date not null,
  user_id uuid not null,
  posts bigint not null default 0,
  removed_posts bigint not null default 0,
  comments bigint not null default 0,
  visits bigint not null default 0,
  primary key (resident_id, week_start, user_id)
);
create index insight_author_weeks_week_idx on private.insight_author_weeks (week_start);
comment on table private.insight_author_weeks is
  'Insight counters: per resident, week (Monday, Oslo time) and person, guestbook posts shown and removed, '
  'comments, and whether they opened the profile. Kept by triggers; never exposed to the API.';
comment on column private.insight_author_weeks.resident_id is 'The resident.';
comment on column private.insight_author_weeks.week_start is 'Monday of the week, Europe/Oslo.';
comment on column private.insight_author_weeks.user_id is 'The person (no foreign key: rows go when their count does).';
comment on column private.insight_author_weeks.posts is 'Guestbook posts they wrote that week, not removed.';
comment on column private.insight_author_weeks.removed_posts is 'Guestbook posts they wrote that week, since removed.';
comment on column private.insight_author_weeks.comments is 'Guestbook comments they wrote that week.';
comment on column private.insight_author_weeks.visits is '1 when they opened the profile that week (private.resident_visits).';
alter table private.insight_author_weeks enable row level security;

create function private.oslo_week(at timestamptz) returns date
language sql immutable set search_path = '' as $$
  select date_trunc('week', at at time zone 'Europe/Oslo')::date
$$;
comment on function private.oslo_week(timestamptz) is 'Monday (Europe/Oslo) of the week of a moment.';

-- Adds the given amounts (+1 or -1) to one counter row; a row whose counts are all zero is removed.
create function private.bump_resident_week(resident uuid, week date, photos bigint, stories bigint)
returns void language plpgsql security definer set search_path = '' as $$
begin
  if resident is null or (photos = 0 and stories = 0) then return; end if;
  -- Taking off only updates: when a whole resident is deleted, their counter rows may
  -- already be gone (cascade) before the rows they counted are.
  if photos < 0 or stories < 0 then
    update private.insight_resident_weeks c set photos = c.photos + bump_resident_week.photos,
      stories = c.stories + bump_resident_week.stories
    where c.resident_id = resident and c.week_start = week;
  else
    insert into private.insight_resident_weeks as c (resident_id, week_start, photos, stories)
    values (resident, week, photos, stories)
    on conflict (resident_id, week_start) do update
      set photos = c.photos + excluded.photos, stories = c.stories + excluded.stories;
  end if;
  delete from private.insight_resident_weeks c
  where c.resident_id = resident and c.week_start = week and c.photos = 0 and c.stories = 0;
end
$$;

create function private.bump_author_week(resident uuid, week date, author uuid,
  posts bigint, removed_posts bigint, comments bigint, visits bigint)
returns void language plpgsql security definer set search_path = '' as $$
begin
  if resident is null or author is null then return; end if;
  if least(posts, removed_posts, comments, visits) < 0 then
    update private.insight_author_weeks c set posts = c.posts + bump_author_week.posts,
      removed_posts = c.removed_posts + bump_author_week.removed_posts,
      comments = c.comments + bump_author_week.comments, visits = c.visits + bump_author_week.visits
    where c.resident_id = resident and c.week_start = week and c.user_id = author;
  else
    insert into private.insight_author_weeks as c (resident_id, week_start, user_id, posts, removed_posts, comments, visits)
    values (resident, week, author, posts, removed_posts, comments, visits)
    on conflict (resident_id, week_start, user_id) do update
      set posts = c.posts + excluded.posts, removed_posts = c.removed_posts + excluded.removed_posts,
        comments = c.comments + excluded.comments, visits = c.visits + excluded.visits;
  end if;
  delete from private.insight_author_weeks c
  where c.resident_id = resident and c.week_start = week and c.user_id = author
    and c.posts = 0 and c.removed_posts = 0 and c.comments = 0 and c.visits = 0;
end
$$;

-- One trigger function per table: take the old row off (update, delete), put the new row on (insert, update).
create function private.count_media_item() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and old.kind = 'image' then
    perform private.bump_resident_week(old.resident_id, private.oslo_week(old.created_at), -1, 0);
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.kind = 'image' then
    perform private.bump_resident_week(new.resident_id, private.oslo_week(new.created_at), 1, 0);
  end if;
  return null;
end
$$;

create function private.count_story() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.bump_resident_week(old.resident_id, private.oslo_week(old.created_at), 0, -1);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform private.bump_resident_week(new.resident_id, private.oslo_week(new.created_at), 0, 1);
  end if;
  return null;
end
$$;

create function private.count_guestbook_post() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.bump_author_week(old.resident_id, private.oslo_week(old.created_at), old.created_by,
      case when old.removed_at is null then -1 else 0 end, case when old.removed_at is null then 0 else -1 end, 0, 0);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform private.bump_author_week(new.resident_id, private.oslo_week(new.created_at), new.created_by,
      case when new.removed_at is null then 1 else 0 end, case when new.removed_at is null then 0 else 1 end, 0, 0);
  end if;
  return null;
end
$$;

create function private.count_guestbook_comment() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.bump_author_week(old.resident_id, private.oslo_week(old.created_at), old.created_by, 0, 0, -1, 0);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform private.bump_author_week(new.resident_id, private.oslo_week(new.created_at), new.created_by, 0, 0, 1, 0);
  end if;
  return null;
end
$$;

create function private.count_resident_visit() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.bump_author_week(old.resident_id, old.week_start, old.user_id, 0, 0, 0, -1);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform private.bump_author_week(new.resident_id, new.week_start, new.user_id, 0, 0, 0, 1);
  end if;
  return null;
end
$$;

create trigger count_for_insight after insert or delete or update of resident_id, kind, created_at
  on public.media_items for each row execute function private.count_media_item();
create trigger count_for_insight after insert or delete or update of resident_id, created_at
  on public.stories for each row execute function private.count_story();
create trigger count_for_insight after insert or delete or update of resident_id, created_by, created_at, removed_at
  on public.guestbook_posts for each row execute function private.count_guestbook_post();
create trigger count_for_insight after insert or delete or update of resident_id, created_by, created_at
  on public.guestbook_comments for each row execute function private.count_guestbook_comment();
create trigger count_for_insight after insert or delete or update of resident_id, user_id, week_start
  on private.resident_visits for each row execute function private.count_resident_visit();

-- Counts every counter again from the rows (this migration, and after bulk loads with triggers off).
create function private.rebuild_insight_counters() returns void
language sql security definer set search_path = '' as $$
  truncate private.insight_resident_weeks, private.insight_author_weeks;
  insert into private.insight_resident_weeks (resident_id, week_start, photos, stories)
  select resident_id, week_start, sum(photos), sum(stories) from (
    select m.resident_id, private.oslo_week(m.created_at) as week_start, 1 as photos, 0 as stories
    from public.media_items m where m.kind = 'image'
    union all
    select s.resident_id, private.oslo_week(s.created_at), 0, 1 from public.stories s
  ) x group by resident_id, week_start;
  insert into private.insight_author_weeks (resident_id, week_start, user_id, posts, removed_posts, comments, visits)
  select resident_id, week_start, user_id, sum(posts), sum(removed_posts), sum(comments), sum(visits) from (
    select p.resident_id, private.oslo_week(p.created_at) as week_start, p.created_by as user_id,
      (p.removed_at is null)::int as posts, (p.removed_at is not null)::int as removed_posts, 0 as comments, 0 as visits
    from public.guestbook_posts p where p.created_by is not null
    union all
    select c.resident_id, private.oslo_week(c.created_at), c.created_by, 0, 0, 1, 0
    from public.guestbook_comments c where c.created_by is not null
    union all
    select v.resident_id, v.week_start, v.user_id, 0, 0, 0, 1 from private.resident_visits v
  ) x group by resident_id, week_start, user_id;
$$;
comment on function private.rebuild_insight_counters() is
  'Insight: counts the weekly counters again from the rows. For after bulk loads done with triggers turned off.';

select private.rebuild_insight_counters();

-- The earlier definition, kept to check the counters against.
alter function private.insight_weeks(uuid[], timestamptz, timestamptz) rename to insight_weeks_afresh;
comment on function private.insight_weeks_afresh(uuid[], timestamptz, timestamptz) is
  'Insight: the weekly figures counted from the rows themselves (slow); private.insight_weeks must agree with it.';

-- The weekly figures: whole weeks inside the period from the counters, the part-weeks
-- at either end from the rows (by created_at, through its index). plpgsql so that the
-- bounds are plain values the planner can use for index ranges.
create function private.insight_weeks(unit_ids uuid[], period_start timestamptz, period_end timestamptz)
returns table (week_start date, photos_added bigint, stories_added bigint, posts_by_relatives bigint,
  posts_by_staff bigint, posts_by_resident bigint, relatives_active bigint, staff_active bigint)
language plpgsql stable security definer set search_path = '' set work_mem = '64MB' as $$
#variable_conflict use_column
declare
  -- The first Monday at or after the start, and the last Monday at or before the end (never before the first).
  first_week date := private.oslo_week(period_start)
    + case when private.oslo_week(period_start)::timestamp at time zone 'Europe/Oslo' = period_start then 0 else 7 end;
  end_week date := greatest(first_week, private.oslo_week(period_end));
  -- Rows are read for [period_start, whole_from) and [whole_to, period_end); counters for the weeks between.
  whole_from timestamptz := least(first_week::timestamp at time zone 'Europe/Oslo', period_end);
  whole_to timestamptz := greatest(end_week::timestamp at time zone 'Europe/Oslo', whole_from);
begin
  return query
  with rs as (
    select r.id, r.unit_id from public.residents r where r.unit_id = any (unit_ids)
  ),
  family as (
    select m.resident_id, m.user_id, case when m.role = 'resident' then 'resident' else 'relative' end as kind
    from public.resident_members m join rs on rs.id = m.resident_id
  ),
  staff as (
    select m.unit_id, m.user_id from public.unit_members m where m.unit_id = any (unit_ids)
    union
    select u.id, a.user_id from public.units u
    join public.organisation_admins a on a.organisation_id = u.organisation_id
    where u.id = any (unit_ids)
  ),
  -- Per resident, week and person: posts shown (the row itself means they were active).
  activity as (
    select a.resident_id, a.week_start, a.user_id, a.posts
    from private.insight_author_weeks a join rs on rs.id = a.resident_id
    where a.week_start >= first_week and a.week_start < end_week
    union all
    select p.resident_id, private.oslo_week(p.created_at), p.created_by, (p.removed_at is null)::int::bigint
    from public.guestbook_posts p join rs on rs.id = p.resident_id
    where p.created_by is not null and ((p.created_at >= period_start and p.created_at < whole_from)
      or (p.created_at >= whole_to and p.created_at < period_end))
    union all
    select c.resident_id, private.oslo_week(c.created_at), c.created_by, 0::bigint
    from public.guestbook_comments c join rs on rs.id = c.resident_id
    where c.created_by is not null and ((c.created_at >= period_start and c.created_at < whole_from)
      or (c.created_at >= whole_to and c.created_at < period_end))
    union all
    -- Visits are kept by week: a part-week counts when someone visited in its part inside the period.
    select v.resident_id, v.week_start, v.user_id, 0::bigint
    from private.resident_visits v join rs on rs.id = v.resident_id
    where v.last_seen_at >= period_start and v.week_start < period_end
      and ((v.week_start >= private.oslo_week(period_start) - 7 and v.week_start < first_week)
        or v.week_start >= end_week)
  ),
  classified as (
    select x.week_start, x.user_id, x.posts, coalesce(f.kind, case when s.user_id is not null then 'staff' end) as who
    from activity x
    join rs on rs.id = x.resident_id
    left join family f on f.resident_id = x.resident_id and f.user_id = x.user_id
    left join staff s on s.unit_id = rs.unit_id and s.user_id = x.user_id
  ),
  -- Each person once per week (grouping hashes; count(distinct) would sort every row).
  people as (
    select c.week_start, c.user_id, c.who from classified c where c.who in ('relative', 'staff')
    group by c.week_start, c.user_id, c.who
  ),
  active as (
    select pp.week_start, count(*) filter (where pp.who = 'relative') as relatives,
      count(*) filter (where pp.who = 'staff') as staff
    from people pp group by pp.week_start
  ),
  posted as (
    select c.week_start,
      sum(c.posts) filter (where c.who = 'relative') as by_relatives,
      sum(c.posts) filter (where c.who = 'staff') as by_staff,
      sum(c.posts) filter (where c.who = 'resident') as by_resident
    from classified c group by c.week_start
  ),
  additions as (
    select c.week_start, c.photos, c.stories
    from private.insight_resident_weeks c join rs on rs.id = c.resident_id
    where c.week_start >= first_week and c.week_start < end_week
    union all
    select private.oslo_week(m.created_at), 1::bigint, 0::bigint
    from public.media_items m join rs on rs.id = m.resident_id
    where m.kind = 'image' and ((m.created_at >= period_start and m.created_at < whole_from)
      or (m.created_at >= whole_to and m.created_at < period_end))
    union all
    select private.oslo_week(s.created_at), 0::bigint, 1::bigint
    from public.stories s join rs on rs.id = s.resident_id
    where (s.created_at >= period_start and s.created_at < whole_from)
      or (s.created_at >= whole_to and s.created_at < period_end)
  ),
  added as (
    select d.week_start, sum(d.photos) as photos, sum(d.stories) as stories from additions d group by d.week_start
  ),
  weeks as (
    select generate_series(date_trunc('week', period_start at time zone 'Europe/Oslo'),
      date_trunc('week', period_end at time zone 'Europe/Oslo'), interval '1 week')::date as week_start
  )
  select w.week_start, coalesce(d.photos, 0)::bigint, coalesce(d.stories, 0)::bigint,
    coalesce(p.by_relatives, 0)::bigint, coalesce(p.by_staff, 0)::bigint, coalesce(p.by_resident, 0)::bigint,
    coalesce(a.relatives, 0), coalesce(a.staff, 0)
  from weeks w
  left join posted p on p.week_start = w.week_start
  left join active a on a.week_start = w.week_start
  left join added d on d.week_start = w.week_start
  order by w.week_start;
end
$$;
comment on function private.insight_weeks(uuid[], timestamptz, timestamptz) is
  'Insight: per week of the period, photos, stories and guestbook posts added, and relatives and staff active.';

-- The dashboard view kept calling the renamed function; point it at the counters.
create or replace view insight.unit_weeks_last_year as
  select u.organisation_id, u.id as unit_id, u.name as unit_name, w.*
  from public.units u
  cross join lateral private.insight_weeks(array[u.id], now() - interval '1 year', now()) w;

create index guestbook_posts_created_at_idx on public.guestbook_posts (created_at);
create index guestbook_comments_created_at_idx on public.guestbook_comments (created_at);
create index media_items_created_at_idx on public.media_items (created_at);

revoke all on function private.oslo_week(timestamptz), private.bump_resident_week(uuid, date, bigint, bigint),
  private.bump_author_week(uuid, date, uuid, bigint, bigint, bigint, bigint), private.count_media_item(),
  private.count_story(), private.count_guestbook_post(), private.count_guestbook_comment(),
  private.count_resident_visit(), private.rebuild_insight_counters(),
  private.insight_weeks(uuid[], timestamptz, timestamptz) from public;
