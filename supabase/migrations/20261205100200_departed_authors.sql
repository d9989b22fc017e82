-- A user deletes their own account (privacy rule 5). Their memberships go at
-- once. What they wrote on a profile stays only if that profile's primary
-- contact chooses to keep it; otherwise it is removed. The choice cannot be
-- made before the account goes (the person wants to leave now), so it waits
-- as a pending decision: the primary contact gets an e-mail and answers on the
-- profile's privacy page. Nobody answering within 30 days counts as "remove":
-- the person asked to be forgotten, and keeping is the exception someone
-- must choose.
--
-- Deleting the auth user sets created_by to null on everything they wrote, so
-- the rows are listed here first, while they can still be found.

-- touch_row kept created_by unchanged on every update, including the update
-- that ON DELETE SET NULL makes when a person is deleted: the row then kept
-- pointing at nobody (Postgres re-checks a foreign key only when its value
-- changes), or the deletion failed. Only signed-in users are held to it now;
-- foreign-key actions run as the table's owner and may clear it.
create or replace function private.touch_row() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  new.updated_by := auth.uid();
  if tg_op = 'INSERT' and current_user = 'authenticated' then
    new.created_at := now();
  end if;
  if tg_op = 'UPDATE' then
    new.created_at := old.created_at;
    if current_user = 'authenticated' or new.created_by is not null then
      new.created_by := old.created_by;
    end if;
  end if;
  return new;
end
$$;
comment on function private.touch_row() is
  'Trigger: sets updated_at/updated_by, stamps created_at for signed-in users and keeps created_at/created_by '
  'unchanged (except that deleting the author clears created_by).';

create table public.departed_author_decisions (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  departed_user_id uuid not null,
  author_name text not null default '' check (length(author_name) <= 200),
  item_count int not null check (item_count > 0),
  due_at timestamptz not null default now() + interval '30 days',
  noticed_at timestamptz,
  created_at timestamptz not null default now(),
  unique (resident_id, departed_user_id)
);
create index departed_author_decisions_due_idx on public.departed_author_decisions (due_at);
comment on table public.departed_author_decisions is
  'Someone who wrote on this profile deleted their account: the primary contact chooses whether what '
  'they wrote stays (decide_departed_content). Unanswered by due_at, it is removed. The row goes once decided.';
comment on column public.departed_author_decisions.id is 'Identifier of the pending choice.';
comment on column public.departed_author_decisions.resident_id is 'The profile.';
comment on column public.departed_author_decisions.departed_user_id is
  'The deleted account''s former id (no longer a user), so that a retried deletion does not ask twice.';
comment on column public.departed_author_decisions.author_name is 'The name they had, so the family knows whose words these are.';
comment on column public.departed_author_decisions.item_count is 'How many items, posts and comments they wrote here.';
comment on column public.departed_author_decisions.due_at is 'Removed automatically after this if nobody chose.';
comment on column public.departed_author_decisions.noticed_at is 'When the primary contact was told by e-mail.';
comment on column public.departed_author_decisions.created_at is 'When the account was deleted.';

create table private.departed_author_items (
  decision_id uuid not null references public.departed_author_decisions (id) on delete cascade,
  table_name text not null,
  row_id uuid not null,
  primary key (decision_id, table_name, row_id)
);
comment on table private.departed_author_items is 'The rows a departed author wrote, per pending choice.';

alter table public.departed_author_decisions enable row level security;
alter table private.departed_author_items enable row level security;
revoke all on public.departed_author_decisions from anon, authenticated;
grant select on public.departed_author_decisions to authenticated;
create policy "Members managers can see pending choices about departed authors"
  on public.departed_author_decisions for select to authenticated
  using (resident_id in (select private.resident_ids_with('manage_members')));

-- The tables whose rows carry what someone wrote (created_by), in delete order.
create function private.authored_tables() returns text[]
language sql immutable set search_path = '' as $$
  select array['guestbook_comments', 'guestbook_posts', 'media_people', 'media_items', 'albums',
    'stories', 'relations', 'life_events', 'interests', 'everyday_wishes']
$$;
comment on function private.authored_tables() is 'Tables with content a person wrote (created_by).';

create function public.prepare_account_deletion() returns int
language plpgsql security definer set search_path = '' as $$
declare
  uid uuid := auth.uid();
  tbl text;
begin
  if uid is null then
    raise exception 'Sign in to delete your account.' using errcode = 'P0001', hint = 'not_signed_in';
  end if;
  create temporary table if not exists authored (resident_id uuid, table_name text, row_id uuid) on commit drop;
  delete from pg_temp.authored;
  foreach tbl in array private.authored_tables() loop
    execute format('insert into pg_temp.authored select t.resident_id, %L, t.id from public.%I t where t.created_by = $1',
      tbl, tbl) using uid;
  end loop;

  insert into public.departed_author_decisions (resident_id, departed_user_id, author_name, item_count)
  select a.resident_id, uid, coalesce((select p.display_name from public.people p where p.id = uid), ''), count(*)
  from pg_temp.authored a group by a.resident_id
  on conflict (resident_id, departed_user_id) do update set item_count = excluded.item_count;
  insert into private.departed_author_items (decision_id, table_name, row_id)
  select d.id, a.table_name, a.row_id from pg_temp.authored a
  join public.departed_author_decisions d on d.resident_id = a.resident_id and d.departed_user_id = uid
  on conflict do nothing;

  perform private.audit('member_removed', m.resident_id, null, uid,
    jsonb_build_object('role', m.role, 'reason', 'account_deleted'))
  from public.resident_members m where m.user_id = uid;
  perform private.audit('unit_member_removed', null, m.unit_id, uid,
    jsonb_build_object('role', m.role, 'reason', 'account_deleted'))
  from public.unit_members m where m.user_id = uid;
  delete from public.resident_members where user_id = uid;
  delete from public.unit_members where user_id = uid;
  delete from public.organisation_admins where user_id = uid;
  return (select count(*) from public.departed_author_decisions d where d.departed_user_id = uid);
end
$$;
comment on function public.prepare_account_deletion() is
  'First step of deleting one''s own account: records what the caller wrote per profile as a pending '
  'choice for its primary contact, and removes every membership (audited). The app''s server then '
  'deletes the auth user. Returns how many profiles await a choice.';

-- Removes what a departed author wrote on one profile; returns the files of
-- removed photos for the server to delete through the Storage API.
create function private.remove_departed_content(decision uuid) returns table (bucket_id text, name text)
language plpgsql security definer set search_path = '' as $$
declare
  tbl text;
begin
  return query select k.* from private.departed_author_items i
    cross join lateral private.media_item_storage_keys(i.row_id) k
    where i.decision_id = decision and i.table_name = 'media_items';
  foreach tbl in array private.authored_tables() loop
    execute format('delete from public.%I t using private.departed_author_items i
      where i.decision_id = $1 and i.table_name = %L and t.id = i.row_id', tbl, tbl) using decision;
  end loop;
  delete from public.departed_author_decisions d where d.id = decision;
end
$$;
comment on function private.remove_departed_content(uuid) is
  'Deletes the rows of a pending departed-author choice and the choice; returns media file keys.';

create function public.decide_departed_content(decision uuid, keep boolean)
returns table (bucket_id text, name text)
language plpgsql security definer set search_path = '' as $$
declare
  d public.departed_author_decisions;
begin
  select x.* into d from public.departed_author_decisions x where x.id = decision for update;
  if not found or not private.resident_can(d.resident_id, 'manage_members') then
    raise exception 'Only the primary contact or the unit''s leaders can make this choice.'
      using errcode = 'P0001', hint = 'not_allowed_to_decide';
  end if;
  if keep is null then
    raise exception 'Choose whether to keep or remove what they wrote.' using errcode = 'P0001', hint = 'invalid_decision';
  end if;
  perform private.audit(case when keep then 'departed_content_kept' else 'departed_content_removed' end,
    d.resident_id, null, null, jsonb_build_object('items', d.item_count));
  if keep then
    delete from public.departed_author_decisions x where x.id = decision;
    return;
  end if;
  return query select * from private.remove_departed_content(decision);
end
$$;
comment on function public.decide_departed_content(uuid, boolean) is
  'Keep or remove what a deleted account wrote on a profile (primary contact, leaders, org admins). '
  'Returns the storage keys the server must delete when removing.';

-- For the server's privacy job (service role): choices nobody made in time.
create function public.apply_departed_content_defaults(at timestamptz default now())
returns table (bucket_id text, name text)
language plpgsql security definer set search_path = '' as $$
declare
  d public.departed_author_decisions;
begin
  for d in select x.* from public.departed_author_decisions x where x.due_at <= at for update skip locked loop
    perform private.audit('departed_content_removed', d.resident_id, null, null,
      jsonb_build_object('items', d.item_count, 'reason', 'no_answer'));
    return query select * from private.remove_departed_content(d.id);
  end loop;
end
$$;
comment on function public.apply_departed_content_defaults(timestamptz) is
  'Privacy job: removes what departed authors wrote where nobody chose by the due date.';

create function public.departed_content_notices_due() returns table (
  decision_id uuid, resident_id uuid, resident_name text, author_name text, item_count int,
  due_at timestamptz, email text
)
language sql stable security definer set search_path = '' as $$
  select d.id, d.resident_id, coalesce(r.preferred_name, r.display_name), d.author_name, d.item_count,
    d.due_at, u.email::text
  from public.departed_author_decisions d
  join public.residents r on r.id = d.resident_id
  left join public.resident_members m on m.resident_id = d.resident_id and m.role = 'primary_contact'
  left join auth.users u on u.id = m.user_id
  where d.noticed_at is null
$$;
comment on function public.departed_content_notices_due() is
  'Privacy job: pending choices nobody was told about yet, one row per primary contact (e-mail may be empty).';

create function public.mark_departed_content_noticed(decision uuid) returns void
language sql security definer set search_path = '' as $$
  update public.departed_author_decisions set noticed_at = now() where id = decision
$$;
comment on function public.mark_departed_content_noticed(uuid) is 'Privacy job: the primary contact was told.';

revoke all on function public.prepare_account_deletion(), public.decide_departed_content(uuid, boolean),
  public.apply_departed_content_defaults(timestamptz), public.departed_content_notices_due(),
  public.mark_departed_content_noticed(uuid) from public, anon, authenticated;
grant execute on function public.prepare_account_deletion(), public.decide_departed_content(uuid, boolean)
  to authenticated;
grant execute on function public.apply_departed_content_defaults(timestamptz),
  public.departed_content_notices_due(), public.mark_departed_content_noticed(uuid) to service_role;
