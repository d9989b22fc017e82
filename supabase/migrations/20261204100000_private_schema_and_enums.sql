-- The private schema holds access helpers and triggers. It is not exposed over
-- the REST API, and nothing in it is executable unless granted function by function.
create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;
alter default privileges in schema private revoke execute on functions from public;

comment on schema private is
  'Access-check helpers and triggers for Minnespor; not exposed over the API.';

create type public.unit_role as enum ('staff', 'superuser', 'leader');
comment on type public.unit_role is
  'A user''s role in a unit: staff (care staff), superuser (the unit''s go-to person) or leader.';

-- Ordered from most to least say over the profile, so least() keeps the stronger role.
create type public.member_role as enum ('primary_contact', 'relative', 'viewer', 'resident');
comment on type public.member_role is
  'A user''s role on one resident''s profile: primary contact, relative, viewer, or the resident.';

create type public.resident_status as enum ('active', 'archived');
comment on type public.resident_status is
  'Active profiles are in use; archived ones (moved or died) are seen only by admins, leaders and the primary contact.';

create type public.life_period as enum ('childhood', 'youth', 'adult_life', 'later_life');
comment on type public.life_period is 'A period of a life, for grouping events, stories and albums.';

create type public.legal_document_kind as enum ('terms', 'privacy', 'confidentiality');
comment on type public.legal_document_kind is
  'Terms of use, privacy statement, and duty of confidentiality (taushetsplikt).';

-- Stamps who changed a row and when; created_by and created_at never change.
create function private.touch_row() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  new.updated_by := auth.uid();
  if tg_op = 'UPDATE' then
    new.created_at := old.created_at;
    new.created_by := old.created_by;
  end if;
  return new;
end
$$;
comment on function private.touch_row() is
  'Trigger: sets updated_at/updated_by and keeps created_at/created_by unchanged.';
