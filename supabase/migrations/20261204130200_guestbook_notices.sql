-- E-mail notices of everyday glimpses: a relative chooses, per resident, to get
-- none, one e-mail per glimpse, or a daily digest; every e-mail carries a link
-- that turns them off without signing in.

create table public.guestbook_notice_preferences (
  user_id uuid not null references public.people (id) on delete cascade default auth.uid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  frequency text not null default 'off' check (frequency in ('off', 'immediately', 'daily')),
  unsubscribe_token uuid not null unique default gen_random_uuid(),
  sent_until timestamptz not null default now(),
  last_sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (user_id, resident_id)
);
create index guestbook_notice_preferences_due_idx on public.guestbook_notice_preferences (frequency, resident_id)
  where frequency <> 'off';
create index guestbook_posts_glimpses_idx on public.guestbook_posts (created_at)
  where kind = 'glimpse' and removed_at is null;
comment on table public.guestbook_notice_preferences is
  'Whether a person gets e-mail about everyday glimpses on a resident: off, immediately or as a daily digest.';
comment on column public.guestbook_notice_preferences.user_id is 'Who gets the e-mail.';
comment on column public.guestbook_notice_preferences.resident_id is 'Whose glimpses.';
comment on column public.guestbook_notice_preferences.frequency is 'off, immediately (one e-mail per glimpse) or daily (a digest).';
comment on column public.guestbook_notice_preferences.unsubscribe_token is
  'Secret in the e-mail''s "turn off" link; anyone holding it can only turn these notices off.';
comment on column public.guestbook_notice_preferences.sent_until is
  'Glimpses created up to here have been sent (or were posted before the person chose notices).';
comment on column public.guestbook_notice_preferences.last_sent_at is
  'When the last e-mail went out; a daily digest waits until this is a day old.';
comment on column public.guestbook_notice_preferences.created_at is 'When the choice was first made.';
comment on column public.guestbook_notice_preferences.updated_at is 'When it was last changed.';

alter table public.guestbook_notice_preferences enable row level security;

create policy "People can see their own notice choices" on public.guestbook_notice_preferences
  for select to authenticated using (user_id = (select auth.uid()));
create policy "Readers can choose notices for a resident" on public.guestbook_notice_preferences
  for insert to authenticated with check (
    user_id = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')));
create policy "People can change their own notice choices" on public.guestbook_notice_preferences
  for update to authenticated using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')));
create policy "People can delete their own notice choices" on public.guestbook_notice_preferences
  for delete to authenticated using (user_id = (select auth.uid()));

-- The unsubscribe token stays with the server: the app never reads it.
revoke all on public.guestbook_notice_preferences from anon, authenticated;
grant select (user_id, resident_id, frequency, sent_until, last_sent_at, created_at, updated_at),
  insert (resident_id, frequency), update (resident_id, frequency), delete
  on public.guestbook_notice_preferences to authenticated;

-- Turning notices on starts from now: nobody gets a pile of old glimpses.
create function private.restart_notices() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  if tg_op = 'INSERT' or (new.frequency <> 'off' and old.frequency = 'off') then
    new.sent_until := now();
  end if;
  return new;
end
$$;
comment on function private.restart_notices() is 'Trigger: notices switched on start from now; stamps updated_at.';
create trigger restart_notices before insert or update on public.guestbook_notice_preferences
  for each row execute function private.restart_notices();

-- The e-mails due now, for the server's notice task (service role only). A
-- person gets only glimpses of residents they may still read, with terms
-- accepted: the access helpers answer for auth.uid(), so each check runs with
-- that person's id set for this transaction only. Daily digests go out once
-- the last one is a day old.
create function public.guestbook_notices_due(at timestamptz default now())
returns table (user_id uuid, email text, resident_id uuid, resident_name text, frequency text,
  unsubscribe_token uuid, glimpses jsonb, sent_until timestamptz)
language plpgsql security definer set search_path = '' as $$
declare
  pref record;
  claims text := current_setting('request.jwt.claims', true);
begin
  for pref in
    select n.*, u.email, r.display_name
    from public.guestbook_notice_preferences n
    join auth.users u on u.id = n.user_id
    join public.residents r on r.id = n.resident_id
    where u.email is not null and (n.frequency = 'immediately'
      or (n.frequency = 'daily' and coalesce(n.last_sent_at, '-infinity') <= at - interval '1 day'))
  loop
    perform set_config('request.jwt.claims', json_build_object('sub', pref.user_id, 'role', 'authenticated')::text, true);
    if private.can_read_resident(pref.resident_id) then
      user_id := pref.user_id; email := pref.email; resident_id := pref.resident_id;
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
  'Service role: the glimpse e-mails due at the given moment, one row per person and resident.';

create function public.mark_guestbook_notices_sent(person uuid, resident uuid, until timestamptz)
returns void
language sql security definer set search_path = '' as $$
  update public.guestbook_notice_preferences
  set sent_until = greatest(sent_until, until), last_sent_at = now()
  where user_id = person and resident_id = resident
$$;
comment on function public.mark_guestbook_notices_sent(uuid, uuid, timestamptz) is
  'Service role: records that glimpses up to `until` were e-mailed to the person.';

-- The link in the e-mail: no sign-in, the token alone turns exactly one choice off.
create function public.unsubscribe_guestbook_notices(token uuid) returns text
language sql security definer set search_path = '' as $$
  update public.guestbook_notice_preferences n set frequency = 'off'
  from public.residents r
  where n.unsubscribe_token = token and r.id = n.resident_id
  returning r.display_name
$$;
comment on function public.unsubscribe_guestbook_notices(uuid) is
  'Turns off the glimpse notices the token belongs to; returns the resident''s name, or null for an unknown token.';

revoke all on function public.guestbook_notices_due(timestamptz),
  public.mark_guestbook_notices_sent(uuid, uuid, timestamptz),
  public.unsubscribe_guestbook_notices(uuid), private.restart_notices() from public, anon, authenticated;
grant execute on function public.guestbook_notices_due(timestamptz),
  public.mark_guestbook_notices_sent(uuid, uuid, timestamptz), public.unsubscribe_guestbook_notices(uuid)
  to service_role;
