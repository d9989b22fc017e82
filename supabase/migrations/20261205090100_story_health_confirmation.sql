-- Collaborative stories save automatically, so the health-information warning shows
-- beside the text after a save rather than before it. When the person confirms that the
-- flagged words are not health information, the app saves again with the header
-- x-health-confirmed; this version of save_story_document records that confirmation on
-- the story's flag even though the text did not change.

create or replace function public.save_story_document(
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

  -- Confirming the warning changes no text, so the flag trigger (which runs only when the
  -- text changed) would not see it: record the confirmation of the words flagged now.
  if private.health_warning_confirmed() then
    update public.health_flags f set confirmed = true, confirmed_by = uid
    where f.table_name = 'stories' and f.row_id = story.id and f.column_name = 'body_text' and not f.confirmed;
  end if;

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
