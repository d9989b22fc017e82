-- Conversation mode (samtalemodus): a link to play a favourite song from, what
-- sparked joy when staff sat down with the resident, and the calm set chosen for
-- evening or night unrest. Never a health or mood score: a reaction belongs to
-- an item of the life story ("this photo was a good one"), not to the person.

-- Music and favourites: interests and wishes in the category "music" may carry a
-- link (to whatever the ward plays music from); the description is the note.
alter table public.interests
  add column music_link text check (music_link ~ '^https?://[^[:space:]]+$' and length(music_link) <= 500);
comment on column public.interests.music_link is
  'For music: a web address to play it from (http or https), shown large in conversation mode.';
alter table public.everyday_wishes
  add column music_link text check (music_link ~ '^https?://[^[:space:]]+$' and length(music_link) <= 500);
comment on column public.everyday_wishes.music_link is
  'For music: a web address to play it from (http or https), shown large in conversation mode.';

-- The kinds of life-story item a conversation shows; 'resident' is the resident's
-- own row ("where I grew up"), so item_id is then the resident's id.
create table public.conversation_reactions (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  item_kind text not null check (item_kind in
    ('resident', 'relation', 'life_event', 'story', 'interest', 'everyday_wish', 'media_item')),
  item_id uuid not null,
  reaction text not null check (reaction in ('good', 'neutral', 'not_now')),
  theme text check (length(theme) <= 60),
  session_id uuid not null,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  unique (session_id, item_kind, item_id)
);
create index conversation_reactions_resident_idx on public.conversation_reactions (resident_id, created_at desc);
create index conversation_reactions_created_by_idx on public.conversation_reactions (created_by);
comment on table public.conversation_reactions is
  'What sparked joy: after a conversation, staff mark each item shown as good, neutral or not now. '
  'Items that brought joy come first next time; the family can read which ones. Not a health or mood record.';
comment on column public.conversation_reactions.id is 'Identifier of the reaction.';
comment on column public.conversation_reactions.resident_id is 'The resident the conversation was with.';
comment on column public.conversation_reactions.item_kind is
  'resident (where they grew up), relation, life_event, story, interest, everyday_wish or media_item.';
comment on column public.conversation_reactions.item_id is 'The item shown (the resident''s id for item_kind resident).';
comment on column public.conversation_reactions.reaction is 'good, neutral or not_now.';
comment on column public.conversation_reactions.theme is 'The theme the conversation started from, e.g. "people".';
comment on column public.conversation_reactions.session_id is 'One conversation: the reactions marked together.';
comment on column public.conversation_reactions.created_by is 'The staff member who marked it.';
comment on column public.conversation_reactions.created_at is 'When it was marked.';

alter table public.conversation_reactions enable row level security;

create policy "Readers of a resident can see what sparked joy" on public.conversation_reactions
  for select to authenticated using (resident_id in (select private.resident_ids_with('read')));
-- Staff hold the conversations on the ward: the capability that lets them post glimpses.
create policy "Staff can mark what sparked joy" on public.conversation_reactions
  for insert to authenticated with check (
    resident_id in (select private.resident_ids_with('post_glimpse')) and created_by = (select auth.uid()));
create policy "Authors and moderators can delete reactions" on public.conversation_reactions
  for delete to authenticated using (
    (created_by = (select auth.uid()) and resident_id in (select private.resident_ids_with('read')))
    or resident_id in (select private.resident_ids_with('moderate')));

revoke all on public.conversation_reactions from anon;
-- created_at and created_by are the database's to say: they cannot be sent with an insert.
grant select, delete on public.conversation_reactions to authenticated;
grant insert (resident_id, item_kind, item_id, reaction, theme, session_id) on public.conversation_reactions to authenticated;

-- The calm set: a few photos, a favourite song and a relative's greeting, opened in
-- two taps when the resident is restless, kept on the ward tablet for offline use.
create table public.conversation_calm_items (
  resident_id uuid not null references public.residents (id) on delete cascade,
  item_kind text not null check (item_kind in ('media_item', 'interest', 'everyday_wish', 'guestbook_post')),
  item_id uuid not null,
  position int not null default 0,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  primary key (resident_id, item_kind, item_id)
);
create index conversation_calm_items_created_by_idx on public.conversation_calm_items (created_by);
comment on table public.conversation_calm_items is
  'The calm set of a resident: items chosen by staff or the primary contact for evening or night unrest.';
comment on column public.conversation_calm_items.resident_id is 'The resident.';
comment on column public.conversation_calm_items.item_kind is 'media_item (a photo), interest, everyday_wish (a song) or guestbook_post (a greeting).';
comment on column public.conversation_calm_items.item_id is 'The chosen item.';
comment on column public.conversation_calm_items.position is 'Order in the set (lowest first).';
comment on column public.conversation_calm_items.created_by is 'Who chose it.';
comment on column public.conversation_calm_items.created_at is 'When it was chosen.';

alter table public.conversation_calm_items enable row level security;

create policy "Readers of a resident can see the calm set" on public.conversation_calm_items
  for select to authenticated using (resident_id in (select private.resident_ids_with('read')));
create policy "Moderators can add to the calm set" on public.conversation_calm_items
  for insert to authenticated with check (
    resident_id in (select private.resident_ids_with('moderate')) and created_by = (select auth.uid()));
create policy "Moderators can take items out of the calm set" on public.conversation_calm_items
  for delete to authenticated using (resident_id in (select private.resident_ids_with('moderate')));

revoke all on public.conversation_calm_items from anon;
grant select, delete on public.conversation_calm_items to authenticated;
grant insert (resident_id, item_kind, item_id, position) on public.conversation_calm_items to authenticated;
