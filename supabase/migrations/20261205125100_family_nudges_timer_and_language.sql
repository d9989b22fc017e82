-- Family reminders sent by the Nuxt server's own timer (server/plugins/admin-nudges.ts)
-- as well as by a cron call, and written in the primary contact's own language.
--
-- 1. A lease, as for the glimpse notices: whichever server or cron job starts a
--    run first sends; the others find the lease taken and send nothing, so no
--    reminder goes out twice.
-- 2. family_nudges_due also returns the language the person chose for the app
--    (auth.users.raw_user_meta_data->>'locale', written by the account page):
--    'en' when they chose English, otherwise 'nb'.

-- One row: until when the current reminder run holds the lease.
create table private.family_nudge_runs (
  id boolean primary key default true check (id),
  leased_until timestamptz not null default '-infinity',
  last_finished_at timestamptz
);
comment on table private.family_nudge_runs is
  'The family-reminder scheduler''s lease: one run sends at a time, whichever server or cron job starts it.';
comment on column private.family_nudge_runs.id is 'Always true: the table has one row.';
comment on column private.family_nudge_runs.leased_until is 'A run that started holds the lease until then.';
comment on column private.family_nudge_runs.last_finished_at is 'When the last run finished.';
alter table private.family_nudge_runs enable row level security;
insert into private.family_nudge_runs default values;

-- True when the caller may send now; null when another run holds the lease. A run that
-- crashed frees it when the lease ends.
create function public.start_family_nudge_run(lease_seconds int default 600) returns boolean
language sql security definer set search_path = '' as $$
  update private.family_nudge_runs
  set leased_until = now() + make_interval(secs => greatest(lease_seconds, 1))
  where id and leased_until < now()
  returning true
$$;
comment on function public.start_family_nudge_run(int) is
  'Service role: takes the family-reminder lease; true when this run may send, null when another holds it.';

create function public.finish_family_nudge_run() returns void
language sql security definer set search_path = '' as $$
  update private.family_nudge_runs set leased_until = '-infinity', last_finished_at = now() where id
$$;
comment on function public.finish_family_nudge_run() is 'Service role: gives the family-reminder lease back.';

-- As in 20261205120200, plus the person's language.
drop function public.family_nudges_due(timestamptz);
create function public.family_nudges_due(at timestamptz default now()) returns table (
  user_id uuid, email text, locale text, resident_id uuid, resident_name text, quiet_weeks int, unsubscribe_token uuid
)
language sql stable security definer set search_path = '' as $$
  select n.user_id, u.email::text,
    case when u.raw_user_meta_data ->> 'locale' = 'en' then 'en' else 'nb' end,
    r.id, coalesce(r.preferred_name, r.display_name), n.quiet_weeks, n.unsubscribe_token
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
  'Service role: the primary contacts due a gentle e-mail because the family has not written for a while, '
  'with their language (nb or en).';

-- Only the server's scheduled task may call these (Supabase grants new functions to authenticated by default).
revoke execute on function public.family_nudges_due(timestamptz), public.start_family_nudge_run(int),
  public.finish_family_nudge_run() from public, anon, authenticated;
grant execute on function public.family_nudges_due(timestamptz), public.start_family_nudge_run(int),
  public.finish_family_nudge_run() to service_role;
