-- Terms of use, privacy statement and duty of confidentiality by version,
-- who accepted which version, and the audit trail of access changes.

create table public.legal_documents (
  id uuid primary key default gen_random_uuid(),
  kind public.legal_document_kind not null,
  version int not null check (version > 0),
  title_nb text not null,
  title_en text not null,
  body_nb text not null,
  body_en text not null,
  published_at timestamptz not null default now(),
  unique (kind, version)
);
comment on table public.legal_documents is
  'Versions of the terms, privacy statement and duty of confidentiality. The newest published version '
  'of each kind is current; publishing a new version asks everybody to accept again.';
comment on column public.legal_documents.id is 'Identifier of this version.';
comment on column public.legal_documents.kind is 'terms, privacy or confidentiality.';
comment on column public.legal_documents.version is 'Version number, increasing per kind.';
comment on column public.legal_documents.title_nb is 'Title in Norwegian Bokmål.';
comment on column public.legal_documents.title_en is 'Title in English.';
comment on column public.legal_documents.body_nb is 'Text in Norwegian Bokmål (Markdown).';
comment on column public.legal_documents.body_en is 'Text in English (Markdown).';
comment on column public.legal_documents.published_at is 'From when this version applies.';

create table public.legal_acceptances (
  user_id uuid not null references public.people (id) on delete cascade default auth.uid(),
  document_id uuid not null references public.legal_documents (id) on delete cascade,
  accepted_at timestamptz not null default now(),
  primary key (user_id, document_id)
);
create index legal_acceptances_document_id_idx on public.legal_acceptances (document_id);
comment on table public.legal_acceptances is 'Which user accepted which document version, and when.';
comment on column public.legal_acceptances.user_id is 'The user who accepted.';
comment on column public.legal_acceptances.document_id is 'The document version accepted.';
comment on column public.legal_acceptances.accepted_at is 'When.';

create table public.audit_events (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_id uuid references public.people (id) on delete set null,
  action text not null,
  organisation_id uuid references public.organisations (id) on delete cascade,
  unit_id uuid references public.units (id) on delete set null,
  resident_id uuid,
  subject_user_id uuid references public.people (id) on delete set null,
  details jsonb not null default '{}'
);
create index audit_events_organisation_id_idx on public.audit_events (organisation_id, occurred_at desc);
create index audit_events_unit_id_idx on public.audit_events (unit_id, occurred_at desc);
create index audit_events_resident_id_idx on public.audit_events (resident_id, occurred_at desc);
comment on table public.audit_events is
  'Access changes: invitations, acceptances, role changes, removals, moves, archiving, deletions, exports. '
  'Never holds life-story content. Written only by the database''s own functions.';
comment on column public.audit_events.id is 'Sequence number.';
comment on column public.audit_events.occurred_at is 'When it happened.';
comment on column public.audit_events.actor_id is 'Who did it.';
comment on column public.audit_events.action is
  'What happened, e.g. invitation_created, invitation_accepted, member_role_changed, resident_deleted.';
comment on column public.audit_events.organisation_id is 'The organisation concerned.';
comment on column public.audit_events.unit_id is 'The unit concerned.';
comment on column public.audit_events.resident_id is 'The profile concerned; kept after the profile is deleted.';
comment on column public.audit_events.subject_user_id is 'The person whose access changed.';
comment on column public.audit_events.details is 'Roles and other facts of the change (never content).';
