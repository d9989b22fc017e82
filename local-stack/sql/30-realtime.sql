-- The realtime schema as the Realtime server leaves it: broadcast messages
-- (authorised by RLS, streamed out to channels) and the topic helper.

create table if not exists realtime.messages (
  id uuid not null default gen_random_uuid(),
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now(),
  primary key (id, inserted_at)
);
create index if not exists messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic);

alter table realtime.messages enable row level security;
alter table realtime.messages owner to supabase_realtime_admin;
grant select, insert, update on realtime.messages to postgres, anon, authenticated, service_role;

create or replace function realtime.topic() returns text
language sql stable as $$
  select nullif(current_setting('realtime.topic', true), '')::text
$$;
grant execute on function realtime.topic() to postgres, anon, authenticated, service_role;

-- Broadcast from the database, as Supabase defines it: a row in
-- realtime.messages that the stack streams out to the channels of `topic`.
-- A failed insert (e.g. RLS refuses it) only warns, so a trigger never fails
-- the write it decorates.
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql
as $$
begin
  begin
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (payload, event, topic, private, extension)
    values (payload, event, topic, private, 'broadcast');
  exception when others then
    raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end
$$;

-- The trigger helper: sends {record, old_record, operation, table, schema} as a broadcast.
create or replace function realtime.broadcast_changes(
  topic_name text, event_name text, operation text, table_name text, table_schema text,
  new record, old record, level text default 'ROW'
)
returns void
language plpgsql
as $$
declare
  message jsonb;
begin
  if level = 'STATEMENT' then
    raise exception 'realtime.broadcast_changes can only be called from a row-level trigger, not a statement-level one';
  end if;
  if operation not in ('INSERT', 'UPDATE', 'DELETE') then
    raise exception 'realtime.broadcast_changes got the operation %, but only INSERT, UPDATE and DELETE are broadcast', operation;
  end if;
  message := jsonb_build_object(
    'old_record', old, 'record', new, 'operation', operation, 'table', table_name, 'schema', table_schema);
  perform realtime.send(message, event_name, topic_name);
end
$$;

grant execute on function realtime.send(jsonb, text, text, boolean) to postgres, anon, authenticated, service_role;
grant execute on function realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  to postgres, anon, authenticated, service_role;

-- The stack streams realtime.messages through its own publication, so apps
-- never see them as postgres_changes of supabase_realtime.
do $$
begin
  if not exists (select 1 from pg_publication where pubname = 'local_stack_realtime_messages') then
    create publication local_stack_realtime_messages for table realtime.messages with (publish = 'insert');
  end if;
end
$$;

-- Earlier shapes of the two functions below, from older versions of this file.
drop function if exists _local_stack.realtime_visible(jsonb, jsonb, boolean);
drop function if exists _local_stack.realtime_change(regclass, jsonb, jsonb, boolean, jsonb);
drop function if exists _local_stack.realtime_change(regclass, jsonb, jsonb, boolean, text[], text[], text[]);

-- Whether each subscriber (sub_roles[i], sub_claims[i], sub_ids[i]) may see the
-- row behind the prepared statement _local_stack_rls_probe. `careful` gives each
-- check its own subtransaction, so a policy that fails for some claims only
-- hides the row from them; the fast path runs without (a subtransaction costs
-- more than the check) and is retried carefully on any error. Subscribers come
-- sorted by role, so the role is switched once per role, not per subscriber.
create or replace function _local_stack.realtime_visible(
  sub_roles text[], sub_claims text[], sub_ids text[], roles jsonb, careful boolean
)
returns boolean[]
language plpgsql
as $$
declare
  visible boolean[] := '{}';
  acting text;
  kind text;
  seen boolean;
begin
  for i in 1 .. coalesce(array_length(sub_roles, 1), 0) loop
    kind := roles->>sub_roles[i];
    if kind is distinct from 'rls' then
      visible := visible || (kind = 'all');
      continue;
    end if;
    if acting is distinct from sub_roles[i] then
      acting := sub_roles[i];
      perform set_config('role', acting, true), set_config('request.jwt.claim.role', acting, true);
    end if;
    perform set_config('request.jwt.claims', sub_claims[i], true),
      set_config('request.jwt.claim.sub', coalesce(sub_ids[i], ''), true);
    if careful then
      begin
        execute 'execute _local_stack_rls_probe' into seen;
      exception when others then
        seen := false;
      end;
    else
      execute 'execute _local_stack_rls_probe' into seen;
    end if;
    visible := visible || coalesce(seen, false);
  end loop;
  perform set_config('role', 'none', true);
  return visible;
end
$$;
revoke all on function _local_stack.realtime_visible(text[], text[], text[], jsonb, boolean) from public;

-- One committed change, shaped for postgres_changes subscribers in one round trip:
-- the typed record and old record (from pgoutput's text values, typed by the
-- table's own row type), whether the table has RLS, and, for each subscriber
-- (sub_roles[i], sub_claims[i], sub_ids[i]), whether that role with those claims
-- can select the row now; also, per role, the columns it may not select. Called
-- by the stack as superuser; each check runs as the subscriber's role so RLS
-- decides, as Supabase's apply_rls does: by the primary key (`keys`), against
-- the table as it is when the change is processed. DELETEs are not RLS-checked
-- (check_rls false).
create or replace function _local_stack.realtime_change(
  entity regclass, tuple jsonb, old_tuple jsonb, keys text[], check_rls boolean,
  sub_roles text[], sub_claims text[], sub_ids text[]
)
returns jsonb
language plpgsql
as $$
declare
  rec jsonb;
  old_rec jsonb;
  roles jsonb;
  hidden jsonb;
  visible boolean[];
  row_security boolean;
  key_match text;
begin
  if tuple is not null then
    execute format('select to_jsonb(r) from jsonb_populate_record(null::%s, $1) r', entity) into rec using tuple;
  end if;
  if old_tuple is not null then
    execute format('select to_jsonb(r) from jsonb_populate_record(null::%s, $1) r', entity) into old_rec using old_tuple;
  end if;
  select relrowsecurity into row_security from pg_class where oid = entity;

  -- Per role: 'no' (may select no column, or for INSERT/UPDATE not the whole key), 'all'
  -- (sees every row) or 'rls' (must be checked); and the columns it may not select, which
  -- realtime leaves out of what that role receives.
  select jsonb_object_agg(r.rolname, case
      when not has_any_column_privilege(r.oid, entity, 'SELECT') then 'no'
      when check_rls and exists (select 1 from unnest(keys) as k
        where not has_column_privilege(r.oid, entity, k, 'SELECT')) then 'no'
      when not check_rls or not row_security or r.rolbypassrls then 'all'
      when coalesce(cardinality(keys), 0) = 0 then 'no'
      else 'rls' end),
    coalesce(jsonb_object_agg(r.rolname, h.names) filter (where h.names is not null), '{}')
  into roles, hidden
  from pg_roles r
  left join lateral (
    select jsonb_agg(a.attname) as names from pg_attribute a
    where a.attrelid = entity and a.attnum > 0 and not a.attisdropped
      and not has_column_privilege(r.oid, entity, a.attnum, 'SELECT')
  ) h on true
  where r.rolname = any(sub_roles);

  if exists (select 1 from jsonb_each_text(roles) where value = 'rls') then
    -- One plan for every subscriber: the row's key is baked in, only role and claims change.
    select string_agg(format('t.%I = %L', k, tuple->>k), ' and ') into key_match from unnest(keys) as k;
    if exists (select 1 from pg_prepared_statements where name = '_local_stack_rls_probe') then
      deallocate _local_stack_rls_probe;
    end if;
    execute format('prepare _local_stack_rls_probe as select exists (select 1 from %s t where %s)',
      entity, key_match);
  end if;

  begin
    visible := _local_stack.realtime_visible(sub_roles, sub_claims, sub_ids, roles, false);
  exception when others then
    -- A policy failed for some subscriber's claims: check each one on its own.
    visible := _local_stack.realtime_visible(sub_roles, sub_claims, sub_ids, roles, true);
  end;

  if key_match is not null then
    deallocate _local_stack_rls_probe;
  end if;
  return jsonb_build_object('record', rec, 'old_record', old_rec, 'row_security', row_security,
    'visible', to_jsonb(visible), 'hidden', hidden);
end
$$;
revoke all on function _local_stack.realtime_change(regclass, jsonb, jsonb, text[], boolean, text[], text[], text[])
  from public;
