-- Two fixes to who is tagged in a photo (public.media_people).

-- 1. A tag that names only a relation went to "names nothing" when the relation
-- was deleted (relation_id is "on delete set null"), which the row's check
-- refuses, so a tagged relation could not be deleted at all. Such a tag now
-- goes with the relation; a tag that also has a typed name or a user stays,
-- and only loses its relation_id. Security definer: the person deleting the
-- relation may not be the one who made the tag.
create function private.drop_tags_of_relation() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.media_people p
  where p.relation_id = old.id and p.person_id is null and p.name is null;
  return old;
end
$$;
comment on function private.drop_tags_of_relation() is
  'Trigger: deleting a relation deletes the photo tags that named only that relation.';
revoke all on function private.drop_tags_of_relation() from public;

create trigger drop_tags_of_relation before delete on public.relations
  for each row execute function private.drop_tags_of_relation();

-- 2. Any user id could be tagged, which put the photo in that user's "Bilder av
-- meg" (signed by the server) without any access to the resident. A tagged
-- user must be someone the tagger may see (private.visible_person_ids()).
-- Restrictive, so it narrows the existing policies; the server's key is not bound.
create policy "Only people the tagger can see can be tagged" on public.media_people
  as restrictive for insert to authenticated
  with check (person_id is null or person_id in (select private.visible_person_ids()));
create policy "Only people the editor can see can be tagged" on public.media_people
  as restrictive for update to authenticated
  with check (person_id is null or person_id in (select private.visible_person_ids()));
