-- The forms check dates (shared/schemas/lifeStory.ts); the tables now check them too, so
-- a client that skips the forms cannot put a timeline out of order. "Today" is Oslo's
-- date, the date the people using the app live by, not the server's UTC date.

alter table public.life_events
  add constraint life_events_year_matches_date
  check (event_date is null or event_year is null or extract(year from event_date) = event_year);

create function private.oslo_today() returns date
language sql stable set search_path = '' as $$
  select (now() at time zone 'Europe/Oslo')::date
$$;
comment on function private.oslo_today() is 'Today''s date in Norway, for "not in the future" rules.';

create function private.check_life_event_dates() returns trigger
language plpgsql set search_path = '' as $$
declare
  born date;
  born_year int;
begin
  if new.event_date > private.oslo_today() or new.event_year > extract(year from private.oslo_today()) then
    raise exception 'A life event cannot be in the future.'
      using errcode = '23514', hint = 'date_in_future';
  end if;
  -- The caller may add to this resident's life story, so they may read the birth date too.
  select r.birth_date, coalesce(r.birth_year, extract(year from r.birth_date)::int)
    into born, born_year
    from public.residents r where r.id = new.resident_id;
  if new.event_date < born or coalesce(new.event_year, extract(year from new.event_date)::int) < born_year then
    raise exception 'A life event cannot be before the resident was born.'
      using errcode = '23514', hint = 'date_before_birth';
  end if;
  return new;
end $$;
comment on function private.check_life_event_dates() is
  'Trigger: a life event is neither in the future nor before the resident''s birth.';
create trigger check_life_event_dates before insert or update of event_year, event_date on public.life_events
  for each row execute function private.check_life_event_dates();

create function private.check_birth_date() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.birth_date > private.oslo_today() or new.birth_year > extract(year from private.oslo_today()) then
    raise exception 'A birth date cannot be in the future.'
      using errcode = '23514', hint = 'date_in_future';
  end if;
  return new;
end $$;
comment on function private.check_birth_date() is 'Trigger: a resident''s birth date is not in the future.';
create trigger check_birth_date before insert or update of birth_date, birth_year on public.residents
  for each row execute function private.check_birth_date();

-- A wish carries the day it was done only while it is done: moving it back clears the
-- day, marking it done without one stamps today, and a day in the future becomes today.
create function private.stamp_wish_done_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.status <> 'done' then
    new.done_at := null;
  elsif new.done_at is null or new.done_at > now() then
    new.done_at := now();
  end if;
  return new;
end $$;
comment on function private.stamp_wish_done_at() is
  'Trigger: everyday_wishes.done_at is set exactly while the wish is done, never in the future.';
create trigger stamp_wish_done_at before insert or update of status, done_at on public.everyday_wishes
  for each row execute function private.stamp_wish_done_at();
