-- save_story_document no longer takes the caller's word for two things.
--
-- 1. The body. The app's server checks a story's Tiptap JSON against the story's
--    schema before it saves (shared/schemas/story.ts), but any contributor can call
--    this function straight through PostgREST. It now refuses a body with nodes or
--    marks a story does not have, a link that is not http(s) or mailto, or a photo
--    that is not a key in the media bucket (SQLSTATE 22023, hint story_body_invalid),
--    and it stores the plain text it reads from the body itself, so the text the
--    health-flag trigger checks and search reads is always the text that is shown.
--    private.story_plain_text follows storyPlainText() in shared/schemas/story.ts.
--
-- 2. Who wrote it. `authored` was the browser's word alone, so a contributor could
--    rewrite a story and leave no name in its history. The rule now: the caller is
--    named in the version whenever the body they save differs from the stored one
--    (or when they say they wrote, as before). A browser that only passes on others'
--    typing is then named too if it saves that change first; naming one too many is
--    the safe side of a history, naming nobody is not. The row is locked while it is
--    compared, so the stored body read is the one the save replaces.

-- Whether a story body (or a node in it) holds only what a story may hold.
create function private.is_safe_story_body(node jsonb) returns boolean
language plpgsql immutable set search_path = '' as $$
declare
  mark jsonb;
  child jsonb;
begin
  if jsonb_typeof(node) is distinct from 'object' or jsonb_typeof(node -> 'type') is distinct from 'string' then
    return false;
  end if;
  if not (node ->> 'type') = any (array['doc', 'paragraph', 'text', 'heading', 'bulletList', 'orderedList',
                                        'listItem', 'blockquote', 'hardBreak', 'storyPhoto']) then
    return false;
  end if;
  if node ? 'text' and jsonb_typeof(node -> 'text') is distinct from 'string' then
    return false;
  end if;
  -- A photo names a key in bucket "media", never an address on the web.
  if node ->> 'type' = 'storyPhoto' and not (
       jsonb_typeof(node -> 'attrs' -> 'path') = 'string'
       and (node -> 'attrs' ->> 'path') ~ '^[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)+$'
       and position('..' in node -> 'attrs' ->> 'path') = 0) then
    return false;
  end if;
  if node ? 'marks' then
    if jsonb_typeof(node -> 'marks') is distinct from 'array' then return false; end if;
    for mark in select value from jsonb_array_elements(node -> 'marks') loop
      if jsonb_typeof(mark) is distinct from 'object'
         or not coalesce(mark ->> 'type', '') = any (array['bold', 'italic', 'link']) then
        return false;
      end if;
      -- The same rule as isSafeLink(): only web and e-mail links.
      if mark ->> 'type' = 'link'
         and not coalesce(mark -> 'attrs' ->> 'href', '') ~* '^\s*(https?://|mailto:)' then
        return false;
      end if;
    end loop;
  end if;
  if node ? 'content' then
    if jsonb_typeof(node -> 'content') is distinct from 'array' then return false; end if;
    for child in select value from jsonb_array_elements(node -> 'content') loop
      if not private.is_safe_story_body(child) then return false; end if;
    end loop;
  end if;
  return true;
end
$$;
comment on function private.is_safe_story_body(jsonb) is
  'Whether a story''s Tiptap JSON holds only the story''s nodes and marks, safe links and media-bucket photos (as isSafeStoryBody in the app).';

-- A checked body's plain text: text blocks join their pieces, other blocks join their
-- non-empty children with a blank line, a line break is a newline, a photo is nothing.
create function private.story_plain_text(node jsonb) returns text
language plpgsql immutable set search_path = '' as $$
declare
  kind text := node ->> 'type';
  pieces text[];
begin
  if kind = 'text' then return coalesce(node ->> 'text', ''); end if;
  if kind = 'hardBreak' then return E'\n'; end if;
  if kind = 'storyPhoto' then return ''; end if;
  select coalesce(array_agg(private.story_plain_text(c.value) order by c.ordinality), '{}') into pieces
  from jsonb_array_elements(coalesce(node -> 'content', '[]'::jsonb)) with ordinality as c(value, ordinality);
  if kind in ('paragraph', 'heading') then
    return array_to_string(pieces, '');
  end if;
  return coalesce(array_to_string(array_remove(pieces, ''), E'\n\n'), '');
end
$$;
comment on function private.story_plain_text(jsonb) is
  'The plain text of a checked story body, as storyPlainText in the app makes it.';

create or replace function public.save_story_document(
  story_id uuid, document_state text, body jsonb, body_text text, expected_version bigint,
  authored boolean default true
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  uid uuid := auth.uid();
  story public.stories%rowtype;
  stored_body jsonb;
  saved_text text;
  changed_it boolean;
  saved_version bigint;
  window_id uuid;
begin
  if not private.can_edit_story(save_story_document.story_id) then
    raise exception 'Only those who may add to this life story can edit the story.'
      using errcode = '42501', hint = 'story_edit_not_allowed';
  end if;
  if not private.is_safe_story_body(save_story_document.body) then
    raise exception 'The story holds something a story may not (an unknown part, a link that is not a web or e-mail address, or a photo from elsewhere).'
      using errcode = '22023', hint = 'story_body_invalid';
  end if;
  -- The caller's body_text is not used: the text comes from the body it describes.
  saved_text := private.story_plain_text(save_story_document.body);
  if length(saved_text) > 400000 then
    raise exception 'The story is too long to save.' using errcode = '22001', hint = 'story_too_long';
  end if;

  select s.body into stored_body from public.stories s
  where s.id = save_story_document.story_id and s.document_version = expected_version
  for update;
  changed_it := stored_body is distinct from save_story_document.body;

  update public.stories s
  set document_state = decode(save_story_document.document_state, 'base64'),
      body = save_story_document.body, body_text = saved_text,
      document_version = s.document_version + 1, updated_at = now(), updated_by = uid
  where s.id = save_story_document.story_id and s.document_version = expected_version
  returning s.* into story;
  if not found then
    raise exception 'The story was saved by someone else meanwhile; merge and save again.'
      using errcode = '40001', hint = 'story_version_conflict';
  end if;
  saved_version := story.document_version;

  -- Confirming the warning changes no text, so the flag trigger (which runs only when the
  -- text changed) would not see it: record the confirmation of the words flagged now.
  if private.health_warning_confirmed() then
    update public.health_flags f set confirmed = true, confirmed_by = uid
    where f.table_name = 'stories' and f.row_id = story.id and f.column_name = 'body_text' and not f.confirmed;
  end if;

  -- Named in the version: whoever changed the body, whatever their browser says.
  authored := (authored or changed_it) and uid is not null;
  select v.id into window_id from public.story_versions v
  where v.story_id = story.id and v.started_at > now() - interval '10 minutes'
  order by v.saved_at desc limit 1;
  if window_id is null then
    insert into public.story_versions (story_id, resident_id, body, body_text, authors)
    values (story.id, story.resident_id, story.body, story.body_text,
            case when authored then array[uid] else '{}' end);
  else
    update public.story_versions v
    set body = story.body, body_text = story.body_text, saved_at = now(),
        authors = case when authored and not uid = any (v.authors)
                  then v.authors || uid else v.authors end
    where v.id = window_id;
  end if;
  return saved_version;
end
$$;
