-- The server side of the health-information check (privacy rule 3). The app
-- warns before saving; these triggers run the same rules wherever text is
-- saved, so a client that skips the warning still leaves a record that staff
-- can see. The rules themselves are data: 20261204120100_health_rules.sql is
-- generated from shared/health-check/rules.json by scripts/health-rules-sql.ts.
--
-- A client that showed the warning and had the person confirm sends the HTTP
-- header `x-health-confirmed: true` with the insert or update (supabase-js:
-- `.insert(row).setHeader('x-health-confirmed', 'true')`); PostgREST hands the
-- headers to Postgres as `request.headers`. SQL run without PostgREST may set
-- `minnespor.health_confirmed` to 'true' for the transaction instead.

create table private.health_rules (
  id int primary key,
  category text not null
    check (category in ('diagnosis', 'medication', 'symptom', 'treatment', 'test_result')),
  pattern text not null
);
comment on table private.health_rules is 'Patterns for health information, as written in rules.json.';

create table private.health_exceptions (
  id int primary key,
  pattern text not null,
  why text not null
);
comment on table private.health_exceptions is
  'Everyday phrases that only look medical ("en god dose humor"); '
  'a match inside one of them is ignored.';

-- Postgres keeps only 32 compiled regexes per connection: matching sixty
-- rules one by one would compile each again for every text. So the rules run
-- as one whole-word regex per category, built by the same code as the app's.
create table private.health_regexes (
  position int primary key,
  kind text not null unique,
  regex text not null
);
comment on table private.health_regexes is
  'The regexes matched: one per category of health_rules, and kind "everyday" for health_exceptions.';

-- Lower-cases A-Z and the Latin-1 capitals one character for one, like
-- normaliseHealthText in shared/utils/healthCheck.ts: lower() would leave
-- ÆØÅ alone under the C locale, and positions must stay where they were.
create function private.health_normalise(content text) returns text
language sql immutable parallel safe set search_path = '' as $$
  select translate(content,
    'ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ' || chr(160),
    'abcdefghijklmnopqrstuvwxyzàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþ ')
$$;
comment on function private.health_normalise(text) is 'The text as the health rules read it: lower case, same length.';

-- Where a regex matches, as 1-based [s, e) character spans, in one pass each
-- of regexp_matches and regexp_split_to_table: the text between matches plus
-- the matches themselves add up to the positions. (regexp_instr with an
-- occurrence number rescans the whole text for every match: quadratic.)
create function private.health_spans(content text, regex text) returns table (s int, e int)
language sql immutable parallel safe set search_path = '' as $$
  with gaps as (
    select n, length(piece) as gap
    from regexp_split_to_table(content, regex) with ordinality as p (piece, n)
  ),
  matched as (
    select n, length(m[1]) as width
    from regexp_matches(content, regex, 'g') with ordinality as x (m, n)
  )
  select (1 + sum(g.gap + m.width) over w - m.width)::int, (1 + sum(g.gap + m.width) over w)::int
  from matched m
  join gaps g using (n)
  window w as (order by n)
$$;
comment on function private.health_spans(text, text) is 'The spans where a regex matches a text, in order.';

-- Postgres' twin of checkHealthText(): every category's matches, minus those
-- inside an everyday phrase, minus those inside a wider match. Positions are
-- 0-based characters (JavaScript counts UTF-16 units, so they differ after an
-- emoji; the words found are the same).
create function private.health_matches(content text)
returns table (term text, category text, start_at int, end_at int)
language sql stable parallel safe set search_path = '' as $$
  with normalised as (
    select private.health_normalise(content) as t where coalesce(content, '') <> ''
  ),
  found as materialized (
    select r.position, r.kind as category, span.s, span.e
    from normalised n
    join private.health_regexes r on r.kind <> 'everyday' and n.t ~ r.regex
    cross join lateral private.health_spans(n.t, r.regex) as span
  ),
  everyday as materialized (
    select span.s, span.e
    from normalised n
    join private.health_regexes x on x.kind = 'everyday' and n.t ~ x.regex
    cross join lateral private.health_spans(n.t, x.regex) as span
  ),
  kept as (
    select f.* from found f
    where not exists (select 1 from everyday x where x.s <= f.s and f.e <= x.e)
  )
  select substr(content, k.s, k.e - k.s), k.category, k.s - 1, k.e - 1
  from kept k
  where not exists (
    select 1 from kept o
    where o.s <= k.s and k.e <= o.e
      and (o.e - o.s > k.e - k.s or (o.e - o.s = k.e - k.s and o.position < k.position)))
  order by k.s
$$;
comment on function private.health_matches(text) is
  'The passages of a text that look like health information, with their category and place.';

create function private.health_warning_confirmed() returns boolean
language sql stable set search_path = '' as $$
  select coalesce(
    lower(nullif(current_setting('request.headers', true), '')::jsonb ->> 'x-health-confirmed') = 'true'
      or current_setting('minnespor.health_confirmed', true) = 'true',
    false)
$$;
comment on function private.health_warning_confirmed() is
  'Whether the request says the author saw the health warning and chose to save.';

create table public.health_flags (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  table_name text not null,
  row_id uuid not null,
  column_name text not null,
  matched_terms text[] not null check (cardinality(matched_terms) > 0),
  categories text[] not null,
  written_by uuid references public.people (id) on delete set null,
  confirmed boolean not null,
  confirmed_by uuid references public.people (id) on delete set null,
  created_at timestamptz not null default now(),
  check (confirmed or confirmed_by is null)
);
create index health_flags_resident_id_idx on public.health_flags (resident_id, created_at desc);
create unique index health_flags_row_idx on public.health_flags (table_name, row_id, column_name);
comment on table public.health_flags is
  'Text saved in a life story or guestbook that looks like health information. Kept only while the '
  'text is: rephrasing or deleting it removes the flag, since the quoted words are health '
  'information too.';
comment on column public.health_flags.resident_id is 'The resident whose profile holds the text.';
comment on column public.health_flags.table_name is 'The table the text is in, e.g. guestbook_posts.';
comment on column public.health_flags.row_id is 'The id of the row in that table.';
comment on column public.health_flags.column_name is 'The column the text is in, e.g. body.';
comment on column public.health_flags.matched_terms is 'The words the check reacted to, in text order.';
comment on column public.health_flags.categories is 'diagnosis, medication, symptom, treatment and/or test_result.';
comment on column public.health_flags.written_by is 'Who saved the text (null when the server saved it).';
comment on column public.health_flags.confirmed is
  'Whether the author saw the warning and chose to save anyway; false when the client skipped it.';
comment on column public.health_flags.confirmed_by is 'Who confirmed the warning.';
comment on column public.health_flags.created_at is 'When the text was saved.';

alter table public.health_flags enable row level security;
revoke all on public.health_flags from anon, authenticated;
grant select on public.health_flags to authenticated;

create policy "Staff and moderators can see health flags of their residents" on public.health_flags
  for select to authenticated using (resident_id in (select private.resident_ids_with('moderate')));

-- Trigger arguments: the column holding the resident's id, then the text columns to check.
-- A save that repeats words the author already confirmed (an autosave while
-- editing elsewhere in the text) keeps the confirmation without the header.
create function private.record_health_flags() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  row_data jsonb := to_jsonb(new);
  flagged_row uuid := (to_jsonb(new) ->> 'id')::uuid;
  text_column text;
  matched record;
  earlier_terms text[];
  earlier_confirmed boolean;
  earlier_confirmed_by uuid;
  confirmed_now boolean := private.health_warning_confirmed();
  carried boolean;
begin
  foreach text_column in array tg_argv[1:] loop
    earlier_terms := null;
    earlier_confirmed := false;
    earlier_confirmed_by := null;
    if tg_op = 'UPDATE' then
      continue when (row_data ->> text_column) is not distinct from (to_jsonb(old) ->> text_column);
      delete from public.health_flags f
      where f.table_name = tg_table_name and f.row_id = flagged_row and f.column_name = text_column
      returning f.matched_terms, f.confirmed, f.confirmed_by
      into earlier_terms, earlier_confirmed, earlier_confirmed_by;
    end if;

    select array_agg(m.term order by m.start_at) as terms,
      array_agg(distinct m.category) as categories
    into matched
    from private.health_matches(row_data ->> text_column) m;
    continue when matched.terms is null;

    carried := not confirmed_now and coalesce(earlier_confirmed, false)
      and array(select private.health_normalise(t) from unnest(matched.terms) t)
        <@ array(select private.health_normalise(t) from unnest(earlier_terms) t);
    insert into public.health_flags (resident_id, table_name, row_id, column_name, matched_terms,
      categories, written_by, confirmed, confirmed_by)
    values ((row_data ->> tg_argv[0])::uuid, tg_table_name, flagged_row, text_column, matched.terms,
      matched.categories, auth.uid(), confirmed_now or carried,
      case when confirmed_now then auth.uid() when carried then earlier_confirmed_by end);
  end loop;
  return null;
end
$$;
comment on function private.record_health_flags() is
  'Trigger: records (or clears) a health flag for each checked text column whose text changed.';

create function private.clear_health_flags() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.health_flags f where f.table_name = tg_table_name and f.row_id = old.id;
  return null;
end
$$;
comment on function private.clear_health_flags() is 'Trigger: removes the flags of a deleted row.';

do $$
declare
  checked constant jsonb := '{
    "residents": ["id", "introduction"],
    "relations": ["resident_id", "description"],
    "life_events": ["resident_id", "title", "description"],
    "stories": ["resident_id", "title", "body_text"],
    "interests": ["resident_id", "title", "description"],
    "everyday_wishes": ["resident_id", "title", "description"],
    "albums": ["resident_id", "title", "description"],
    "media_items": ["resident_id", "caption"],
    "guestbook_posts": ["resident_id", "body"],
    "guestbook_comments": ["resident_id", "body"]
  }';
  tbl text;
  args text[];
begin
  for tbl in select jsonb_object_keys(checked) loop
    args := array(select jsonb_array_elements_text(checked -> tbl));
    execute format('create trigger record_health_flags after insert or update of %s on public.%I
      for each row execute function private.record_health_flags(%s)',
      (select string_agg(quote_ident(c), ', ') from unnest(args[2:]) c), tbl,
      (select string_agg(quote_literal(c), ', ') from unnest(args) c));
    if tbl <> 'residents' then
      execute format('create trigger clear_health_flags after delete on public.%I
        for each row execute function private.clear_health_flags()', tbl);
    end if;
  end loop;
end
$$;

grant execute on function private.record_health_flags(), private.clear_health_flags()
  to authenticated, service_role;
