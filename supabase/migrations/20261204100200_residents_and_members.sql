-- Residents (the profiles) and who, besides the unit's staff, may see each one.

create table public.residents (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references public.units (id),
  display_name text not null check (length(display_name) between 1 and 200),
  preferred_name text check (length(preferred_name) <= 100),
  birth_date date,
  birth_year int check (birth_year between 1880 and 2100),
  grew_up_in text check (length(grew_up_in) <= 200),
  introduction text check (length(introduction) <= 4000),
  photo_path text check (length(photo_path) <= 500),
  status public.resident_status not null default 'active',
  archived_at timestamptz,
  arrived_on date,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_by uuid references public.people (id) on delete set null,
  updated_at timestamptz not null default now(),
  check (birth_date is null or birth_year is null or extract(year from birth_date) = birth_year),
  check ((status = 'archived') = (archived_at is not null))
);
create index residents_unit_id_idx on public.residents (unit_id);
comment on table public.residents is
  'A resident''s profile: the life story belongs to it. Move, archive and delete with the RPCs '
  'move_resident, archive_resident and delete_resident.';
comment on column public.residents.id is 'Identifier; also the first folder of the resident''s files in bucket "media".';
comment on column public.residents.unit_id is 'The unit the resident lives in; its staff see the profile.';
comment on column public.residents.display_name is 'Full name, e.g. "Ingrid Marie Bakken".';
comment on column public.residents.preferred_name is 'What the resident likes to be called, e.g. "Ingrid".';
comment on column public.residents.birth_date is 'Date of birth, when known.';
comment on column public.residents.birth_year is 'Year of birth, when only the year is known (or given).';
comment on column public.residents.grew_up_in is 'Where the resident grew up, in words.';
comment on column public.residents.introduction is 'A short introduction in the first person. Never health information.';
comment on column public.residents.photo_path is 'Profile photo: a key in bucket "media" under the resident''s folder.';
comment on column public.residents.status is 'active, or archived (moved or died).';
comment on column public.residents.archived_at is 'When the profile was archived.';
comment on column public.residents.arrived_on is 'When the resident came to the unit.';
comment on column public.residents.created_by is 'Who created the profile.';
comment on column public.residents.created_at is 'When the profile was created.';
comment on column public.residents.updated_by is 'Who last changed it.';
comment on column public.residents.updated_at is 'When it was last changed.';

create trigger touch_row before insert or update on public.residents
  for each row execute function private.touch_row();

create table public.resident_members (
  resident_id uuid not null references public.residents (id) on delete cascade,
  user_id uuid not null references public.people (id) on delete cascade,
  role public.member_role not null,
  relationship text check (length(relationship) <= 100),
  invited_by uuid references public.people (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (resident_id, user_id)
);
create index resident_members_user_id_idx on public.resident_members (user_id);
comment on table public.resident_members is
  'Who may see a profile besides the unit''s staff: the family, friends and the resident. '
  'Deleting a row removes that person''s access.';
comment on column public.resident_members.resident_id is 'The profile.';
comment on column public.resident_members.user_id is 'The member (people.id).';
comment on column public.resident_members.role is
  'primary_contact (owns the family side), relative, viewer (reads and writes in the guestbook only) or resident.';
comment on column public.resident_members.relationship is 'The relationship in words, e.g. "datter".';
comment on column public.resident_members.invited_by is 'Who invited this member.';
comment on column public.resident_members.created_at is 'Since when.';

create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid references public.residents (id) on delete cascade,
  unit_id uuid references public.units (id) on delete cascade,
  member_role public.member_role,
  unit_role public.unit_role,
  relationship text check (length(relationship) <= 100),
  email text check (email = lower(trim(email)) and email like '%_@_%'),
  phone text check (phone ~ '^[0-9]{6,15}$'),
  token_hash text not null unique,
  expires_at timestamptz not null default now() + interval '14 days',
  accepted_by uuid references public.people (id) on delete set null,
  accepted_at timestamptz,
  revoked_at timestamptz,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  check ((resident_id is not null and member_role is not null and unit_id is null and unit_role is null)
    or (unit_id is not null and unit_role is not null and resident_id is null and member_role is null)),
  check (email is not null or phone is not null)
);
create index invitations_resident_id_idx on public.invitations (resident_id);
create index invitations_unit_id_idx on public.invitations (unit_id);
create index invitations_created_by_idx on public.invitations (created_by);
comment on table public.invitations is
  'Invitations to a profile or a unit. Created, accepted and revoked only through the RPCs '
  'create_invitation, accept_invitation and revoke_invitation.';
comment on column public.invitations.id is 'Identifier of the invitation.';
comment on column public.invitations.resident_id is 'The profile invited to (or null for a unit invitation).';
comment on column public.invitations.unit_id is 'The unit invited to (or null for a profile invitation).';
comment on column public.invitations.member_role is 'The role on the profile the invitee gets.';
comment on column public.invitations.unit_role is 'The role in the unit the invitee gets.';
comment on column public.invitations.relationship is 'The invitee''s relationship in words, e.g. "barnebarn".';
comment on column public.invitations.email is 'Lower-case e-mail the invitation is for; the accepting user must have it.';
comment on column public.invitations.phone is 'Phone in digits with country code (4790000001); the accepting user must have it.';
comment on column public.invitations.token_hash is 'Hex sha256 of the token sent to the invitee; the token itself is never stored.';
comment on column public.invitations.expires_at is 'The invitation cannot be accepted after this (14 days).';
comment on column public.invitations.accepted_by is 'Who accepted it.';
comment on column public.invitations.accepted_at is 'When it was accepted; an invitation is used once.';
comment on column public.invitations.revoked_at is 'When it was revoked; a revoked invitation cannot be accepted.';
comment on column public.invitations.created_by is 'Who sent the invitation.';
comment on column public.invitations.created_at is 'When it was sent.';
