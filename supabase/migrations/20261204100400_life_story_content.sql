-- The life story: relations, life events, stories, interests, everyday wishes,
-- albums, media items and who is in them. Every row belongs to one resident
-- and records who added and last changed it; the resident may hide any item.

create table public.relations (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  relationship text check (length(relationship) <= 100),
  description text check (length(description) <= 4000),
  photo_path text check (length(photo_path) <= 500),
  is_key boolean not null default false,
  is_living boolean,
  position int not null default 0,
  consent_confirmed_by uuid references public.people (id) on delete set null,
  consent_confirmed_at timestamptz,
  hidden boolean not null default false,
  sensitive boolean not null default false,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_by uuid references public.people (id) on delete set null,
  updated_at timestamptz not null default now()
);
comment on table public.relations is 'My people: the resident''s most important relationships.';
comment on column public.relations.name is 'The person''s name, e.g. "Per".';
comment on column public.relations.relationship is 'How they are related, in words, e.g. "sønn".';
comment on column public.relations.description is 'A few words about the person.';
comment on column public.relations.photo_path is 'Photo: a key in bucket "media".';
comment on column public.relations.is_key is 'A key person, shown first.';
comment on column public.relations.is_living is 'Whether the person is alive (living people need consent for photo and text).';
comment on column public.relations.position is 'Order among the relations (lowest first).';
comment on column public.relations.consent_confirmed_by is 'Who confirmed that a living person consented.';
comment on column public.relations.consent_confirmed_at is 'When consent was confirmed.';

create type public.date_precision as enum ('year', 'month', 'day');
comment on type public.date_precision is 'How much of a date is known.';

create table public.life_events (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  description text check (length(description) <= 4000),
  event_year int check (event_year between 1880 and 2100),
  event_date date,
  date_precision public.date_precision not null default 'year',
  place text check (length(place) <= 200),
  life_period public.life_period,
  photo_path text check (length(photo_path) <= 500),
  position int not null default 0,
  hidden boolean not null default false,
  sensitive boolean not null default false,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_by uuid references public.people (id) on delete set null,
  updated_at timestamptz not null default now()
);
comment on table public.life_events is 'My life: the timeline of important events.';
comment on column public.life_events.title is 'What happened, e.g. "Gift med Olav".';
comment on column public.life_events.description is 'More about the event.';
comment on column public.life_events.event_year is 'Year of the event.';
comment on column public.life_events.event_date is 'Date of the event; only the part given by date_precision is meaningful.';
comment on column public.life_events.date_precision is 'year, month or day.';
comment on column public.life_events.place is 'Where it happened.';
comment on column public.life_events.life_period is 'childhood, youth, adult_life or later_life.';
comment on column public.life_events.photo_path is 'Photo: a key in bucket "media".';
comment on column public.life_events.position is 'Order within the same year (lowest first).';

create table public.stories (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  life_period public.life_period,
  body jsonb not null default '{"type": "doc", "content": []}',
  body_text text not null default '',
  document_state bytea,
  position int not null default 0,
  hidden boolean not null default false,
  sensitive boolean not null default false,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_by uuid references public.people (id) on delete set null,
  updated_at timestamptz not null default now()
);
comment on table public.stories is 'Stories: longer texts from the resident''s life, written together.';
comment on column public.stories.title is 'Title of the story.';
comment on column public.stories.life_period is 'The life period the story is from.';
comment on column public.stories.body is 'The text as Tiptap (ProseMirror) JSON.';
comment on column public.stories.body_text is 'The text as plain text, for search and previews.';
comment on column public.stories.document_state is 'Collaborative editing state (a Yjs update), if edited together.';
comment on column public.stories.position is 'Order among the stories (lowest first).';

create table public.interests (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  category text not null default 'other' check (category in
    ('music', 'food', 'nature', 'crafts', 'sport', 'faith', 'places', 'reading', 'animals', 'other')),
  title text not null check (length(title) between 1 and 200),
  description text check (length(description) <= 4000),
  photo_path text check (length(photo_path) <= 500),
  position int not null default 0,
  hidden boolean not null default false,
  sensitive boolean not null default false,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_by uuid references public.people (id) on delete set null,
  updated_at timestamptz not null default now()
);
comment on table public.interests is 'Interests: music, food, nature, crafts, sport, faith, places and more.';
comment on column public.interests.category is 'music, food, nature, crafts, sport, faith, places, reading, animals or other.';
comment on column public.interests.title is 'The interest, e.g. "Alf Prøysens viser".';
comment on column public.interests.description is 'More about it.';
comment on column public.interests.photo_path is 'Photo: a key in bucket "media".';
comment on column public.interests.position is 'Order within the category (lowest first).';

create table public.everyday_wishes (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  category text not null default 'other' check (category in
    ('routine', 'food_and_drink', 'music', 'calming', 'dislikes', 'conversation', 'activity', 'other')),
  title text not null check (length(title) between 1 and 200),
  description text check (length(description) <= 4000),
  status text not null default 'wished' check (status in ('wished', 'planned', 'done')),
  done_at timestamptz,
  photo_path text check (length(photo_path) <= 500),
  position int not null default 0,
  hidden boolean not null default false,
  sensitive boolean not null default false,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_by uuid references public.people (id) on delete set null,
  updated_at timestamptz not null default now()
);
comment on table public.everyday_wishes is
  'What matters to me every day: routines, food and drink, music, what calms, dislikes, good topics. '
  'Never medical facts.';
comment on column public.everyday_wishes.category is
  'routine, food_and_drink, music, calming, dislikes, conversation, activity or other.';
comment on column public.everyday_wishes.title is 'The wish, e.g. "Kaffe med fløte om morgenen".';
comment on column public.everyday_wishes.description is 'More about it.';
comment on column public.everyday_wishes.status is 'For wishes to fulfil: wished, planned or done.';
comment on column public.everyday_wishes.done_at is 'When the wish was fulfilled.';
comment on column public.everyday_wishes.photo_path is 'Photo: a key in bucket "media".';
comment on column public.everyday_wishes.position is 'Order within the category (lowest first).';

create table public.albums (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  description text check (length(description) <= 4000),
  life_period public.life_period,
  cover_media_id uuid,
  position int not null default 0,
  hidden boolean not null default false,
  sensitive boolean not null default false,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_by uuid references public.people (id) on delete set null,
  updated_at timestamptz not null default now()
);
comment on table public.albums is 'Albums of photos and videos.';
comment on column public.albums.title is 'Title, e.g. "Barndom på Toten".';
comment on column public.albums.description is 'What the album holds.';
comment on column public.albums.life_period is 'The life period the album is from.';
comment on column public.albums.cover_media_id is 'The media item shown as cover.';
comment on column public.albums.position is 'Order among the albums (lowest first).';

create table public.media_items (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  album_id uuid references public.albums (id) on delete set null,
  storage_path text not null unique check (storage_path like resident_id::text || '/%'),
  kind text not null check (kind in ('image', 'video')),
  mime_type text check (length(mime_type) <= 100),
  size_bytes bigint check (size_bytes >= 0),
  width int check (width > 0),
  height int check (height > 0),
  duration_seconds numeric(8, 2) check (duration_seconds >= 0),
  variants jsonb not null default '{}',
  caption text check (length(caption) <= 2000),
  taken_year int check (taken_year between 1850 and 2100),
  taken_period text check (length(taken_period) <= 100),
  place text check (length(place) <= 200),
  shows_living_people boolean not null default false,
  consent_confirmed_by uuid references public.people (id) on delete set null,
  consent_confirmed_at timestamptz,
  hidden boolean not null default false,
  sensitive boolean not null default false,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_by uuid references public.people (id) on delete set null,
  updated_at timestamptz not null default now(),
  unique (id, resident_id)
);
create index media_items_album_id_idx on public.media_items (album_id);
comment on table public.media_items is 'Photos and videos; the file is in bucket "media" at storage_path.';
comment on column public.media_items.album_id is 'The album it belongs to, if any.';
comment on column public.media_items.storage_path is 'Key of the original in bucket "media"; starts with the resident''s id.';
comment on column public.media_items.kind is 'image or video.';
comment on column public.media_items.mime_type is 'Content type of the original, e.g. image/jpeg.';
comment on column public.media_items.size_bytes is 'Size of the original in bytes.';
comment on column public.media_items.width is 'Width in pixels.';
comment on column public.media_items.height is 'Height in pixels.';
comment on column public.media_items.duration_seconds is 'Length of a video in seconds.';
comment on column public.media_items.variants is 'Keys of web-sized variants, e.g. {"thumbnail": "...", "display": "..."}.';
comment on column public.media_items.caption is 'Caption in words.';
comment on column public.media_items.taken_year is 'Year the photo was taken.';
comment on column public.media_items.taken_period is 'Approximate period when the year is unknown, e.g. "1950-tallet".';
comment on column public.media_items.place is 'Where it was taken.';
comment on column public.media_items.shows_living_people is 'Whether living people are shown (consent needed).';
comment on column public.media_items.consent_confirmed_by is 'Who confirmed that the people shown consented.';
comment on column public.media_items.consent_confirmed_at is 'When consent was confirmed.';

alter table public.albums add foreign key (cover_media_id) references public.media_items (id) on delete set null;

create table public.media_people (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid not null,
  media_item_id uuid not null,
  relation_id uuid references public.relations (id) on delete set null,
  person_id uuid references public.people (id) on delete set null,
  name text check (length(name) <= 200),
  hidden boolean not null default false,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_by uuid references public.people (id) on delete set null,
  updated_at timestamptz not null default now(),
  foreign key (media_item_id, resident_id) references public.media_items (id, resident_id) on delete cascade,
  check (relation_id is not null or person_id is not null or name is not null)
);
create index media_people_media_item_id_idx on public.media_people (media_item_id);
create index media_people_person_id_idx on public.media_people (person_id);
comment on table public.media_people is 'Who is in a photo or video: a relation, a user, or a name typed in.';
comment on column public.media_people.media_item_id is 'The photo or video.';
comment on column public.media_people.relation_id is 'The relation shown, if picked from My people.';
comment on column public.media_people.person_id is 'The user shown, if they use Minnespor.';
comment on column public.media_people.name is 'The name as typed.';

-- The columns every content table shares, commented once here for all of them.
do $$
declare
  t text;
begin
  foreach t in array array['relations', 'life_events', 'stories', 'interests', 'everyday_wishes',
                           'albums', 'media_items', 'media_people'] loop
    execute format('create index %I on public.%I (resident_id)', t || '_resident_id_idx', t);
    execute format('create trigger touch_row before insert or update on public.%I
      for each row execute function private.touch_row()', t);
    execute format('comment on column public.%I.id is %L', t, 'Identifier of the item.');
    execute format('comment on column public.%I.resident_id is %L', t, 'The resident whose life story this is part of.');
    execute format('comment on column public.%I.hidden is %L', t,
      'Hidden by the resident''s wish: only staff, the primary contact, the resident and the author see it.');
    execute format('comment on column public.%I.created_by is %L', t, 'Who added it.');
    execute format('comment on column public.%I.created_at is %L', t, 'When it was added.');
    execute format('comment on column public.%I.updated_by is %L', t, 'Who last changed it.');
    execute format('comment on column public.%I.updated_at is %L', t, 'When it was last changed.');
    if t <> 'media_people' then
      execute format('comment on column public.%I.sensitive is %L', t,
        'A sensitive topic (a loss, the war): handled with care in conversation.');
    end if;
  end loop;
end
$$;
