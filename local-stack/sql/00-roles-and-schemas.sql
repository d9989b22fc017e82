-- What a Supabase database has before any app migration runs: the API roles,
-- the demoted `postgres` role, the platform schemas and default grants.
-- Every statement is idempotent: the stack re-runs this file whenever it changes.

do $$
declare
  r text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role'] loop
    if not exists (select 1 from pg_roles where rolname = r) then
      execute format('create role %I nologin noinherit', r);
    end if;
  end loop;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'postgres') then
    create role postgres login;
  end if;
  foreach r in array array['supabase_auth_admin', 'supabase_storage_admin', 'supabase_realtime_admin'] loop
    if not exists (select 1 from pg_roles where rolname = r) then
      execute format('create role %I nologin noinherit createrole', r);
    end if;
  end loop;
end
$$;

-- Supabase flipped the API roles to INHERIT in 2023; service_role bypasses RLS.
alter role anon inherit;
alter role authenticated inherit;
alter role service_role inherit bypassrls;
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
grant anon, authenticated, service_role to authenticator;

-- `postgres` is the developer's role on Supabase: not a superuser, but it
-- bypasses RLS and can create what migrations need.
alter role postgres nosuperuser createdb createrole login replication bypassrls;
grant anon, authenticated, service_role to postgres;
grant supabase_auth_admin, supabase_storage_admin, supabase_realtime_admin to postgres;
grant pg_read_all_data, pg_signal_backend to postgres;

create schema if not exists extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;

create schema if not exists auth authorization supabase_admin;
create schema if not exists storage authorization supabase_admin;
create schema if not exists realtime authorization supabase_admin;
create schema if not exists graphql_public;
create schema if not exists supabase_migrations authorization postgres;
grant usage on schema auth, storage, realtime, graphql_public
  to postgres, anon, authenticated, service_role;
grant all on schema storage to postgres, supabase_storage_admin;
grant all on schema auth to postgres, supabase_auth_admin;
grant all on schema realtime to postgres, supabase_realtime_admin;

grant usage, create on schema public to postgres;
-- On Supabase `postgres` may create schemas (migrations add e.g. `private`).
do $$
begin
  execute format('grant create, connect, temporary on database %I to postgres', current_database());
end
$$;
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges in schema public
  grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges in schema public
  grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on sequences to postgres, anon, authenticated, service_role;

do $$
begin
  if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end
$$;
alter publication supabase_realtime owner to postgres;

-- The stack's own bookkeeping (bootstrap hash, mailbox); never exposed over the API.
create schema if not exists _local_stack;
revoke all on schema _local_stack from public;
create table if not exists _local_stack.meta (key text primary key, value text not null);

create table if not exists _local_stack.mailbox (
  id bigserial primary key,
  kind text not null check (kind in ('email', 'sms')),
  recipient text not null,
  subject text,
  text_body text not null,
  html_body text,
  -- Machine-readable facts for tests: the kind of message, links, codes.
  meta jsonb not null default '{}',
  sent_at timestamptz not null default now()
);
create index if not exists mailbox_recipient_idx on _local_stack.mailbox (lower(recipient), id desc);
