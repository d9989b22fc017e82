-- Stories are written together, at the same time: a daughter adds what she
-- remembers while a nurse adds what the resident told her today. The text of
-- a story is a Yjs document that the editors' browsers keep in step over one
-- private Realtime channel per story, "story:<id>", and save here.
--
-- Who may do what:
-- * everyone who may read the story may join its channel and follow it live
--   (broadcast and presence read);
-- * everyone who may add to the resident's life story may edit the text of
--   any story they can see, not only their own: stories are written together.
--   They alone may send on the channel (broadcast and presence write) and
--   save the text, through public.save_story_document below;
-- * the title, life period and hiding keep the rules of every life-story
--   item (the author and moderators; the resident may hide).
--
-- Saving: the app's server merges a browser's changes into the stored Yjs
-- state and calls save_story_document with the merged state and the text it
-- derives from it (Tiptap JSON and plain text). document_version makes this
-- an optimistic write: a save based on an older state is refused with
-- SQLSTATE 40001 and the server merges again, so two saves at once never
-- lose each other's words.

alter table public.stories add column document_version bigint not null default 0;
comment on column public.stories.document_version is
  'Counts saves of the collaborative text; a save must name the version it merged into.';

-- "story:<uuid>" -> the story's id; anything else -> null.
create function private.story_topic_id(topic text) returns uuid
language sql immutable set search_path = '' as $$
  select case when topic ~* '^story:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    then split_part(topic, ':', 2)::uuid end
$$;
comment on function private.story_topic_id(text) is
  'The story whose editing channel a Realtime topic is (story:<id>), or null.';

-- A hidden story stays out of reach for those who may not see hidden items,
-- exactly as the select policy on public.stories has it.
create function private.can_edit_story(story uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (
    select 1 from public.stories s
    where s.id = story
      and private.can_contribute(s.resident_id)
      and (not s.hidden or s.created_by = auth.uid() or private.resident_can(s.resident_id, 'see_hidden')));
end
$$;
comment on function private.can_edit_story(uuid) is
  'Whether the caller may edit the text of a story together with others (contributors who can see it).';

-- Versions: one row per save window of ten minutes, holding the text as it
-- was at the end of the window and everyone whose changes were saved in it.
-- Comparing a version with the one before shows who changed what.
create table public.story_versions (
  id uuid primary key default gen_random_uuid(),
  story_id uuid not null references public.stories (id) on delete cascade,
  resident_id uuid not null references public.residents (id) on delete cascade,
  body jsonb not null,
  body_text text not null,
  authors uuid[] not null default '{}',
  started_at timestamptz not null default now(),
  saved_at timestamptz not null default now()
);
create index story_versions_story_idx on public.story_versions (story_id, saved_at desc);
comment on table public.story_versions is
  'Earlier versions of a story''s text, one per ten-minute save window. Written only by save_story_document.';
comment on column public.story_versions.story_id is 'The story.';
comment on column public.story_versions.resident_id is 'The resident whose story it is.';
comment on column public.story_versions.body is 'The text at the end of the window, as Tiptap JSON.';
comment on column public.story_versions.body_text is 'The same text as plain text.';
comment on column public.story_versions.authors is 'Everyone whose changes were saved in this window (people ids).';
comment on column public.story_versions.started_at is 'When the window began (its first save).';
comment on column public.story_versions.saved_at is 'Its last save.';

alter table public.story_versions enable row level security;
revoke all on public.story_versions from anon, authenticated;
grant select on public.story_versions to authenticated;

-- Runs as the caller, so the select policy of public.stories decides.
create policy "Readers of a story can see its versions" on public.story_versions
  for select to authenticated using (exists (select 1 from public.stories s where s.id = story_id));

-- Saves the merged text of a story. `authored` says whether the caller's own
-- changes are in this save (a browser that only passes on what others wrote
-- is not an author of the window).
create function public.save_story_document(
  story_id uuid, document_state text, body jsonb, body_text text, expected_version bigint,
  authored boolean default true
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  uid uuid := auth.uid();
  story public.stories%rowtype;
  saved_version bigint;
  window_id uuid;
begin
  if not private.can_edit_story(save_story_document.story_id) then
    raise exception 'Only those who may add to this life story can edit the story.'
      using errcode = '42501', hint = 'story_edit_not_allowed';
  end if;
  if length(save_story_document.body_text) > 400000 then
    raise exception 'The story is too long to save.' using errcode = '22001', hint = 'story_too_long';
  end if;

  update public.stories s
  set document_state = decode(save_story_document.document_state, 'base64'),
      body = save_story_document.body, body_text = save_story_document.body_text,
      document_version = s.document_version + 1, updated_at = now(), updated_by = uid
  where s.id = save_story_document.story_id and s.document_version = expected_version
  returning s.* into story;
  if not found then
    raise exception 'The story was saved by someone else meanwhile; merge and save again.'
      using errcode = '40001', hint = 'story_version_conflict';
  end if;
  saved_version := story.document_version;

  select v.id into window_id from public.story_versions v
  where v.story_id = story.id and v.started_at > now() - interval '10 minutes'
  order by v.saved_at desc limit 1;
  if window_id is null then
    insert into public.story_versions (story_id, resident_id, body, body_text, authors)
    values (story.id, story.resident_id, story.body, story.body_text,
            case when authored and uid is not null then array[uid] else '{}' end);
  else
    update public.story_versions v
    set body = story.body, body_text = story.body_text, saved_at = now(),
        authors = case when authored and uid is not null and not uid = any (v.authors)
                  then v.authors || uid else v.authors end
    where v.id = window_id;
  end if;
  return saved_version;
end
$$;
comment on function public.save_story_document(uuid, text, jsonb, text, bigint, boolean) is
  'Saves a story''s collaborative text (base64 Yjs state, Tiptap JSON, plain text) if expected_version '
  'is still current (else SQLSTATE 40001), and records it in the story''s current version window.';

-- The editing channel. Policies run as the caller: the read policy sees
-- exactly the stories the caller may select.
create policy "Readers of a story can follow its editing channel" on realtime.messages
  for select to authenticated using (
    extension in ('broadcast', 'presence')
    and exists (select 1 from public.stories s where s.id = (select private.story_topic_id(realtime.topic()))));

create policy "Editors of a story can send on its editing channel" on realtime.messages
  for insert to authenticated with check (
    extension in ('broadcast', 'presence')
    and (select private.can_edit_story(private.story_topic_id(realtime.topic()))));

revoke all on function private.story_topic_id(text), private.can_edit_story(uuid),
  public.save_story_document(uuid, text, jsonb, text, bigint, boolean) from public, anon;
grant execute on function private.story_topic_id(text), private.can_edit_story(uuid) to authenticated, service_role;
grant execute on function public.save_story_document(uuid, text, jsonb, text, bigint, boolean) to authenticated;
