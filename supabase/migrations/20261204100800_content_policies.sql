-- Row-level security for the life story and the guestbook. The life-story
-- tables share one set of rules, applied by private.add_life_story_policies,
-- which later features call for their own tables.

-- Who may change what inside a row, which policies cannot express: the
-- resident may only hide others' items, and nothing moves between residents.
create function private.guard_life_story_update() returns trigger
language plpgsql set search_path = '' as $$
declare
  uid uuid := auth.uid();
begin
  if new.resident_id is distinct from old.resident_id then
    raise exception 'An item cannot be moved to another resident''s life story.'
      using errcode = '42501', hint = 'resident_change_not_allowed';
  end if;
  if current_user <> 'authenticated' then
    return new;
  end if;
  if not ((old.created_by = uid and private.can_contribute(old.resident_id))
          or private.can_moderate(old.resident_id))
     and (to_jsonb(new) - array['hidden', 'updated_at', 'updated_by'])
         <> (to_jsonb(old) - array['hidden', 'updated_at', 'updated_by']) then
    raise exception 'Only the author or staff can change this item; the resident may only hide it.'
      using errcode = '42501', hint = 'only_hide_allowed';
  end if;
  return new;
end
$$;
comment on function private.guard_life_story_update() is
  'Trigger: keeps items with their resident and lets the resident change only "hidden" on others'' items.';

create function private.add_life_story_policies(tbl regclass, label text) returns void
language plpgsql set search_path = '' as $$
begin
  execute format('alter table %s enable row level security', tbl);
  execute format($p$create policy %I on %s for select to authenticated using (
    resident_id in (select private.resident_ids_with('read'))
    and (not hidden or created_by = (select auth.uid())
         or resident_id in (select private.resident_ids_with('see_hidden'))))$p$,
    'Readers of a resident can see its ' || label, tbl);
  execute format($p$create policy %I on %s for insert to authenticated with check (
    resident_id in (select private.resident_ids_with('contribute')) and created_by = (select auth.uid()))$p$,
    'Contributors can add ' || label, tbl);
  execute format($p$create policy %I on %s for update to authenticated
    using ((created_by = (select auth.uid()) and resident_id in (select private.resident_ids_with('contribute')))
      or resident_id in (select private.resident_ids_with('hide')))
    with check ((created_by = (select auth.uid()) and resident_id in (select private.resident_ids_with('contribute')))
      or resident_id in (select private.resident_ids_with('hide')))$p$,
    'Authors, moderators and the resident can edit ' || label, tbl);
  execute format($p$create policy %I on %s for delete to authenticated using (
    (created_by = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')))
    or resident_id in (select private.resident_ids_with('moderate')))$p$,
    'Authors and moderators can delete ' || label, tbl);
  execute format('create trigger guard_life_story_update before update on %s
    for each row execute function private.guard_life_story_update()', tbl);
end
$$;
comment on function private.add_life_story_policies(regclass, text) is
  'Enables RLS on a life-story table (resident_id, created_by, hidden) and adds the standard policies.';

select private.add_life_story_policies('public.relations', 'relations');
select private.add_life_story_policies('public.life_events', 'life events');
select private.add_life_story_policies('public.stories', 'stories');
select private.add_life_story_policies('public.interests', 'interests');
select private.add_life_story_policies('public.everyday_wishes', 'everyday wishes');
select private.add_life_story_policies('public.albums', 'albums');
select private.add_life_story_policies('public.media_items', 'media items');
select private.add_life_story_policies('public.media_people', 'people in media');

-- Authors edit their own text (marked as edited); staff and the primary
-- contact may only remove others' posts and comments, leaving a visible mark.
create function private.guard_guestbook_update() returns trigger
language plpgsql set search_path = '' as $$
declare
  uid uuid := auth.uid();
  allowed text[] := array['updated_at', 'updated_by'];
begin
  if current_user <> 'authenticated' then
    return new;
  end if;
  if old.created_by = uid then
    allowed := allowed || array['body', 'edited_at'];
  end if;
  if private.can_moderate(old.resident_id) then
    allowed := allowed || array['removed_at', 'removed_by'];
  end if;
  if (to_jsonb(new) - allowed) <> (to_jsonb(old) - allowed) then
    raise exception 'Only the author can edit this; staff and the primary contact can only remove it.'
      using errcode = '42501', hint = 'guestbook_change_not_allowed';
  end if;
  if new.body is distinct from old.body then
    new.edited_at := now();
  end if;
  if new.removed_at is not null and old.removed_at is null then
    new.removed_by := uid;
  elsif new.removed_at is null then
    new.removed_by := null;
  end if;
  return new;
end
$$;
comment on function private.guard_guestbook_update() is
  'Trigger: authors edit their own text, moderators only remove; stamps edited_at and removed_by.';

alter table public.guestbook_posts enable row level security;
alter table public.guestbook_post_media enable row level security;
alter table public.guestbook_comments enable row level security;
alter table public.guestbook_hearts enable row level security;

create trigger guard_guestbook_update before update on public.guestbook_posts
  for each row execute function private.guard_guestbook_update();
create trigger guard_guestbook_update before update on public.guestbook_comments
  for each row execute function private.guard_guestbook_update();

create policy "Readers of a resident can see its guestbook posts" on public.guestbook_posts
  for select to authenticated using (resident_id in (select private.resident_ids_with('read')));
create policy "Readers can write greetings, staff also glimpses" on public.guestbook_posts
  for insert to authenticated with check (
    resident_id in (select private.resident_ids_with('read'))
    and created_by = (select auth.uid()) and removed_at is null
    and (kind = 'greeting' or resident_id in (select private.resident_ids_with('post_glimpse'))));
create policy "Authors can edit and moderators can remove guestbook posts" on public.guestbook_posts
  for update to authenticated
  using ((created_by = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')))
    or resident_id in (select private.resident_ids_with('moderate')))
  with check ((created_by = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')))
    or resident_id in (select private.resident_ids_with('moderate')));
create policy "Authors and moderators can delete guestbook posts" on public.guestbook_posts
  for delete to authenticated
  using ((created_by = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')))
    or resident_id in (select private.resident_ids_with('moderate')));

create policy "Readers of a resident can see its guestbook comments" on public.guestbook_comments
  for select to authenticated using (resident_id in (select private.resident_ids_with('read')));
create policy "Readers can comment on guestbook posts" on public.guestbook_comments
  for insert to authenticated with check (
    resident_id in (select private.resident_ids_with('read'))
    and created_by = (select auth.uid()) and removed_at is null);
create policy "Authors can edit and moderators can remove comments" on public.guestbook_comments
  for update to authenticated
  using ((created_by = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')))
    or resident_id in (select private.resident_ids_with('moderate')))
  with check ((created_by = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')))
    or resident_id in (select private.resident_ids_with('moderate')));
create policy "Authors and moderators can delete comments" on public.guestbook_comments
  for delete to authenticated
  using ((created_by = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')))
    or resident_id in (select private.resident_ids_with('moderate')));

create policy "Readers of a resident can see its hearts" on public.guestbook_hearts
  for select to authenticated using (resident_id in (select private.resident_ids_with('read')));
create policy "Readers can give a heart" on public.guestbook_hearts
  for insert to authenticated with check (
    resident_id in (select private.resident_ids_with('read')) and created_by = (select auth.uid()));
create policy "People can take back their heart; moderators can remove any" on public.guestbook_hearts
  for delete to authenticated
  using ((created_by = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')))
    or resident_id in (select private.resident_ids_with('moderate')));

create policy "Readers of a resident can see what is attached to its posts" on public.guestbook_post_media
  for select to authenticated using (resident_id in (select private.resident_ids_with('read')));
create policy "Post authors can attach media to their posts" on public.guestbook_post_media
  for insert to authenticated with check (
    resident_id in (select private.resident_ids_with('read')) and created_by = (select auth.uid())
    and exists (select 1 from public.guestbook_posts p
                where p.id = post_id and p.created_by = (select auth.uid())));
create policy "Post authors and moderators can detach media" on public.guestbook_post_media
  for delete to authenticated
  using ((created_by = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')))
    or resident_id in (select private.resident_ids_with('moderate')));

revoke all on function private.add_life_story_policies(regclass, text) from public;
grant execute on function private.guard_life_story_update(), private.guard_guestbook_update() to authenticated;
