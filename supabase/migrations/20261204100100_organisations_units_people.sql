-- Organisations (a municipality or care provider), their admins, units
-- (wards), unit members, and one public "people" row per signed-up user.

create table public.people (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text not null default '' check (length(display_name) <= 200),
  avatar_path text check (length(avatar_path) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.people is
  'One row per user, created with the auth user, so posts and items can show their author.';
comment on column public.people.id is 'The auth user''s id (auth.users.id).';
comment on column public.people.display_name is 'The name shown to others, e.g. "Kari Nordmann".';
comment on column public.people.avatar_path is 'Optional photo: a key in the storage bucket "media".';
comment on column public.people.created_at is 'When the user signed up.';
comment on column public.people.updated_at is 'When the name or photo last changed.';

create table public.organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  created_at timestamptz not null default now()
);
comment on table public.organisations is 'A municipality or care provider that runs units.';
comment on column public.organisations.id is 'Identifier of the organisation.';
comment on column public.organisations.name is 'Name, e.g. "Fjordvik kommune".';
comment on column public.organisations.created_at is 'When the organisation was added.';

create table public.organisation_admins (
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  user_id uuid not null references public.people (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (organisation_id, user_id)
);
create index organisation_admins_user_id_idx on public.organisation_admins (user_id);
comment on table public.organisation_admins is
  'Who administers an organisation: sees all its units and profiles, manages access, deletes profiles. '
  'Add or remove rows here in the dashboard.';
comment on column public.organisation_admins.organisation_id is 'The organisation administered.';
comment on column public.organisation_admins.user_id is 'The administrator (people.id = auth.users.id).';
comment on column public.organisation_admins.created_at is 'Since when.';

create table public.units (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  site_name text check (length(site_name) <= 200),
  closed_at timestamptz,
  created_at timestamptz not null default now()
);
create index units_organisation_id_idx on public.units (organisation_id);
comment on table public.units is 'A ward or department of an organisation, where residents live.';
comment on column public.units.id is 'Identifier of the unit.';
comment on column public.units.organisation_id is 'The organisation that runs the unit.';
comment on column public.units.name is 'Name of the unit, e.g. "Avdeling Solsiden".';
comment on column public.units.site_name is 'Name of the site or building, e.g. "Fjordvik sykehjem".';
comment on column public.units.closed_at is 'Set when the unit is closed; null while in use.';
comment on column public.units.created_at is 'When the unit was added.';

create table public.unit_members (
  unit_id uuid not null references public.units (id) on delete cascade,
  user_id uuid not null references public.people (id) on delete cascade,
  role public.unit_role not null default 'staff',
  invited_by uuid references public.people (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (unit_id, user_id)
);
create index unit_members_user_id_idx on public.unit_members (user_id);
comment on table public.unit_members is
  'Staff of a unit. Staff see every active profile in their unit; removing the row removes that access.';
comment on column public.unit_members.unit_id is 'The unit.';
comment on column public.unit_members.user_id is 'The staff member (people.id).';
comment on column public.unit_members.role is 'staff, superuser (go-to person) or leader.';
comment on column public.unit_members.invited_by is 'Who invited this person, if anyone.';
comment on column public.unit_members.created_at is 'Since when.';

-- Creates the people row when Supabase Auth creates a user.
create function private.create_person_for_user() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.people (id, display_name)
  values (new.id, coalesce(
    nullif(trim(new.raw_user_meta_data ->> 'display_name'), ''),
    nullif(trim(new.raw_user_meta_data ->> 'full_name'), ''),
    nullif(trim(new.raw_user_meta_data ->> 'name'), ''),
    nullif(split_part(coalesce(new.email, ''), '@', 1), ''),
    ''))
  on conflict (id) do nothing;
  return new;
end
$$;
comment on function private.create_person_for_user() is
  'Trigger on auth.users: creates the public people row with the name from user_metadata.';

create trigger create_person_after_signup after insert on auth.users
  for each row execute function private.create_person_for_user();
