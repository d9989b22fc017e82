-- Three guestbook rules the app alone cannot keep:
-- 1. A post carries up to 10 photos, or one video on its own (as the issue says):
--    checked on every attachment, whoever inserts it.
-- 2. Glimpse e-mails go out in the language each person chose for the app
--    (auth.users.raw_user_meta_data->>'locale', written by the account page).
-- 3. The notice scheduler may run in more than one app server at once (two
--    instances behind a load balancer, or a pg_cron call while a server runs
--    its own timer). A short lease lets exactly one run send at a time, so
--    nobody gets the same digest twice.

create function private.check_guestbook_post_media() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  total int;
  videos int;
begin
  -- Serialises attachments of one post, so two inserts at once cannot both pass the count.
  perform 1 from public.guestbook_posts where id = new.post_id for update;
  select count(*), count(*) filter (where m.kind = 'video') into total, videos
  from public.guestbook_post_media a join public.media_items m on m.id = a.media_item_id
  where a.post_id = new.post_id;
  if total > 10 then
    raise exception 'A guestbook post can carry at most 10 photos.' using errcode = 'check_violation';
  end if;
  if videos > 0 and total > 1 then
    raise exception 'A guestbook post can carry one video on its own, or photos.' using errcode = 'check_violation';
  end if;
  return null;
end
$$;
comment on function private.check_guestbook_post_media() is
  'Trigger: a guestbook post has at most 10 photos, or a single video.';
revoke all on function private.check_guestbook_post_media() from public, anon, authenticated;
create constraint trigger check_guestbook_post_media after insert on public.guestbook_post_media
  for each row execute function private.check_guestbook_post_media();

-- The notices due now, as before, plus the person's language ('nb' unless they chose 'en').
drop function public.guestbook_notices_due(timestamptz);
create function public.guestbook_notices_due(at timestamptz default now())
returns table (user_id uuid, email text, locale text, resident_id uuid, resident_name text, frequency text,
  unsubscribe_token uuid, glimpses jsonb, sent_until timestamptz)
language plpgsql security definer set search_path = '' as $$
declare
  pref record;
  claims text := current_setting('request.jwt.claims', true);
begin
  for pref in
    select n.*, u.email, u.raw_user_meta_data ->> 'locale' as chosen_locale, r.display_name
    from public.guestbook_notice_preferences n
    join auth.users u on u.id = n.user_id
    join public.residents r on r.id = n.resident_id
    where u.email is not null and (n.frequency = 'immediately'
      or (n.frequency = 'daily' and coalesce(n.last_sent_at, '-infinity') <= at - interval '1 day'))
  loop
    -- The access helpers answer for auth.uid(): ask them as this person, for this transaction only.
    perform set_config('request.jwt.claims', json_build_object('sub', pref.user_id, 'role', 'authenticated')::text, true);
    if private.can_read_resident(pref.resident_id) then
      user_id := pref.user_id; email := pref.email; resident_id := pref.resident_id;
      locale := case when pref.chosen_locale = 'en' then 'en' else 'nb' end;
      resident_name := pref.display_name; frequency := pref.frequency; unsubscribe_token := pref.unsubscribe_token;
      select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'body', p.body, 'created_at', p.created_at,
          'author', a.display_name) order by p.created_at), '[]'), coalesce(max(p.created_at), pref.sent_until)
        into glimpses, sent_until
        from public.guestbook_posts p left join public.people a on a.id = p.created_by
        where p.resident_id = pref.resident_id and p.kind = 'glimpse' and p.removed_at is null
          and p.created_at > pref.sent_until and p.created_at <= at
          and p.created_by is distinct from pref.user_id;
      if jsonb_array_length(glimpses) > 0 then
        return next;
      end if;
    end if;
  end loop;
  perform set_config('request.jwt.claims', coalesce(claims, ''), true);
end
$$;
comment on function public.guestbook_notices_due(timestamptz) is
  'Service role: the glimpse e-mails due at the given moment, one row per person and resident, with their language.';

-- One row: until when the current notice run holds the lease.
create table private.guestbook_notice_runs (
  id boolean primary key default true check (id),
  leased_until timestamptz not null default '-infinity',
  last_finished_at timestamptz
);
comment on table private.guestbook_notice_runs is
  'The glimpse-notice scheduler''s lease: one run sends at a time, whichever server or cron job starts it.';
comment on column private.guestbook_notice_runs.leased_until is 'A run that started holds the lease until then.';
comment on column private.guestbook_notice_runs.last_finished_at is 'When the last run finished.';
alter table private.guestbook_notice_runs enable row level security;
insert into private.guestbook_notice_runs default values;

-- Returns true when the caller may send now. A run that crashed frees the lease when it ends.
create function public.start_guestbook_notice_run(lease_seconds int default 600) returns boolean
language sql security definer set search_path = '' as $$
  update private.guestbook_notice_runs
  set leased_until = now() + make_interval(secs => greatest(lease_seconds, 1))
  where id and leased_until < now()
  returning true
$$;
comment on function public.start_guestbook_notice_run(int) is
  'Service role: takes the notice-sending lease; true when this run may send, null when another holds it.';

create function public.finish_guestbook_notice_run() returns void
language sql security definer set search_path = '' as $$
  update private.guestbook_notice_runs set leased_until = '-infinity', last_finished_at = now() where id
$$;
comment on function public.finish_guestbook_notice_run() is 'Service role: gives the notice-sending lease back.';

revoke all on function public.guestbook_notices_due(timestamptz), public.start_guestbook_notice_run(int),
  public.finish_guestbook_notice_run() from public, anon, authenticated;
grant execute on function public.guestbook_notices_due(timestamptz), public.start_guestbook_notice_run(int),
  public.finish_guestbook_notice_run() to service_role;
