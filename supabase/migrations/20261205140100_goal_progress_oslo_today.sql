-- A goal's "still has time" compared the arrival date (an Oslo date) with current_date,
-- which is the date in the session's time zone (UTC on Supabase): for the first hour or
-- two of every Oslo day a resident could be counted a day early or late. Today is now
-- Oslo's today, as everywhere else in the insight. Same function otherwise.
create or replace function public.unit_goal_progress(unit uuid) returns table (
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
      g.kind = 'sections_within_weeks'
        and (now() at time zone 'Europe/Oslo')::date <= f.arrived + g.weeks * 7 as has_time
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
