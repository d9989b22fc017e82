-- The storage schema as storage-api leaves it. RLS on storage.objects is the
-- only gate: the API roles have every privilege on the tables.

do $$
begin
  if not exists (select 1 from pg_type t join pg_namespace n on n.oid = t.typnamespace
                 where n.nspname = 'storage' and t.typname = 'buckettype') then
    create type storage.buckettype as enum ('STANDARD', 'ANALYTICS');
  end if;
end
$$;

create table if not exists storage.buckets (
  id text primary key,
  name text not null unique,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  type storage.buckettype not null default 'STANDARD'
);

create table if not exists storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  user_metadata jsonb,
  unique (bucket_id, name)
);
create index if not exists objects_bucket_id_name_idx on storage.objects (bucket_id, name text_pattern_ops);

alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;
alter table storage.buckets owner to supabase_storage_admin;
alter table storage.objects owner to supabase_storage_admin;
grant all on storage.buckets, storage.objects to postgres, anon, authenticated, service_role;

create or replace function storage.foldername(name text) returns text[]
language plpgsql immutable as $$
declare
  parts text[];
begin
  select string_to_array(name, '/') into parts;
  return parts[1 : array_length(parts, 1) - 1];
end
$$;

create or replace function storage.filename(name text) returns text
language plpgsql immutable as $$
declare
  parts text[];
begin
  select string_to_array(name, '/') into parts;
  return parts[array_length(parts, 1)];
end
$$;

create or replace function storage.extension(name text) returns text
language plpgsql immutable as $$
declare
  parts text[];
  fname text;
begin
  select string_to_array(name, '/') into parts;
  select parts[array_length(parts, 1)] into fname;
  return reverse(split_part(reverse(fname), '.', 1));
end
$$;

grant execute on function storage.foldername(text), storage.filename(text), storage.extension(text)
  to postgres, anon, authenticated, service_role;

-- As on Supabase, rows of storage tables may not be deleted with plain SQL:
-- that would orphan the files. The storage API sets the flag per request.
create or replace function storage.protect_delete() returns trigger
language plpgsql as $$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') <> 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.',
            errcode = '42501';
  end if;
  return null;
end
$$;

drop trigger if exists protect_objects_delete on storage.objects;
create trigger protect_objects_delete before delete on storage.objects
  for each statement execute function storage.protect_delete();
drop trigger if exists protect_buckets_delete on storage.buckets;
create trigger protect_buckets_delete before delete on storage.buckets
  for each statement execute function storage.protect_delete();

-- One folder level of a bucket, as storage-api lists it: sub-folders (id null)
-- first, then the files, names relative to `prefix`; `search` narrows by the
-- start of the name, ignoring case. Runs as the caller, so RLS decides; the
-- caller's search_path stays, as policies may call helpers that rely on it.
-- Newer storage-api versions interleave folders and files when sorting by
-- name; this one keeps folders first, as older versions (and the docs) show.
create or replace function storage.search(
  prefix text,
  bucketname text,
  limits int default 100,
  offsets int default 0,
  search text default '',
  sortcolumn text default 'name',
  sortorder text default 'asc'
)
returns table (
  name text,
  id uuid,
  updated_at timestamptz,
  created_at timestamptz,
  last_accessed_at timestamptz,
  metadata jsonb
)
language plpgsql stable security invoker
as $$
declare
  v_column text := lower(coalesce(sortcolumn, 'name'));
  v_order text := case when lower(coalesce(sortorder, 'asc')) = 'desc' then 'desc' else 'asc' end;
  v_prefix text := coalesce(prefix, '');
  v_match text := lower(coalesce(prefix, '') || coalesce(search, ''));
begin
  if v_column not in ('name', 'updated_at', 'created_at', 'last_accessed_at') then
    v_column := 'name';
  end if;
  return query execute format($q$
    with matched as (
      select o.id, o.updated_at, o.created_at, o.last_accessed_at, o.metadata,
             substr(o.name, length($1) + 1) as rest
      from storage.objects o
      where o.bucket_id = $2 and left(lower(o.name), length($3)) = $3
    ),
    entries as (
      select distinct split_part(m.rest, '/', 1) as name, null::uuid as id,
             null::timestamptz as updated_at, null::timestamptz as created_at,
             null::timestamptz as last_accessed_at, null::jsonb as metadata, 0 as kind
      from matched m where position('/' in m.rest) > 0
      union all
      select m.rest, m.id, m.updated_at, m.created_at, m.last_accessed_at, m.metadata, 1
      from matched m where position('/' in m.rest) = 0
    )
    select e.name, e.id, e.updated_at, e.created_at, e.last_accessed_at, e.metadata
    from entries e
    order by e.kind, case when e.kind = 0 then e.name end collate "C" %2$s,
             e.%1$I %2$s, e.name collate "C" %2$s
    limit $4 offset $5
  $q$, v_column, v_order)
  using v_prefix, bucketname, v_match, greatest(coalesce(limits, 100), 0), greatest(coalesce(offsets, 0), 0);
end
$$;

grant execute on function storage.search(text, text, int, int, text, text, text)
  to postgres, anon, authenticated, service_role;
