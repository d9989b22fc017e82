-- The guestbook: greetings from relatives and everyday glimpses from staff,
-- with photos, comments and hearts.

create table public.guestbook_posts (
  id uuid primary key default gen_random_uuid(),
  resident_id uuid not null references public.residents (id) on delete cascade,
  kind text not null default 'greeting' check (kind in ('greeting', 'glimpse')),
  body text not null default '' check (length(body) <= 10000),
  edited_at timestamptz,
  removed_at timestamptz,
  removed_by uuid references public.people (id) on delete set null,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_by uuid references public.people (id) on delete set null,
  updated_at timestamptz not null default now(),
  unique (id, resident_id)
);
create index guestbook_posts_feed_idx on public.guestbook_posts (resident_id, created_at desc, id desc);
create index guestbook_posts_created_by_idx on public.guestbook_posts (created_by);
comment on table public.guestbook_posts is
  'Guestbook posts: greetings (anyone with access) and everyday glimpses (staff).';
comment on column public.guestbook_posts.kind is 'greeting or glimpse (hverdagsglimt, by staff).';
comment on column public.guestbook_posts.body is 'The text. Never health information.';
comment on column public.guestbook_posts.edited_at is 'When the author last edited the text.';
comment on column public.guestbook_posts.removed_at is 'When staff or the primary contact removed it; shown as "removed".';
comment on column public.guestbook_posts.removed_by is 'Who removed it.';

create table public.guestbook_post_media (
  post_id uuid not null,
  media_item_id uuid not null,
  resident_id uuid not null,
  position int not null default 0,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  primary key (post_id, media_item_id),
  foreign key (post_id, resident_id) references public.guestbook_posts (id, resident_id) on delete cascade,
  foreign key (media_item_id, resident_id) references public.media_items (id, resident_id) on delete cascade
);
create index guestbook_post_media_media_item_id_idx on public.guestbook_post_media (media_item_id);
create index guestbook_post_media_resident_id_idx on public.guestbook_post_media (resident_id);
comment on table public.guestbook_post_media is 'Photos and videos attached to a guestbook post (up to 10).';
comment on column public.guestbook_post_media.post_id is 'The post.';
comment on column public.guestbook_post_media.media_item_id is 'The attached media item, of the same resident.';
comment on column public.guestbook_post_media.position is 'Order of the attachments.';

create table public.guestbook_comments (
  id uuid primary key default gen_random_uuid(),
  post_id uuid not null,
  resident_id uuid not null,
  body text not null check (length(body) between 1 and 4000),
  edited_at timestamptz,
  removed_at timestamptz,
  removed_by uuid references public.people (id) on delete set null,
  created_by uuid references public.people (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_by uuid references public.people (id) on delete set null,
  updated_at timestamptz not null default now(),
  foreign key (post_id, resident_id) references public.guestbook_posts (id, resident_id) on delete cascade
);
create index guestbook_comments_post_id_idx on public.guestbook_comments (post_id, created_at);
create index guestbook_comments_resident_id_idx on public.guestbook_comments (resident_id);
comment on table public.guestbook_comments is 'Comments on guestbook posts.';
comment on column public.guestbook_comments.post_id is 'The post commented on.';
comment on column public.guestbook_comments.body is 'The text. Never health information.';
comment on column public.guestbook_comments.edited_at is 'When the author last edited it.';
comment on column public.guestbook_comments.removed_at is 'When staff or the primary contact removed it.';
comment on column public.guestbook_comments.removed_by is 'Who removed it.';

create table public.guestbook_hearts (
  post_id uuid not null,
  resident_id uuid not null,
  created_by uuid not null references public.people (id) on delete cascade default auth.uid(),
  created_at timestamptz not null default now(),
  primary key (post_id, created_by),
  foreign key (post_id, resident_id) references public.guestbook_posts (id, resident_id) on delete cascade
);
create index guestbook_hearts_resident_id_idx on public.guestbook_hearts (resident_id);
comment on table public.guestbook_hearts is 'Hearts ("likes") on guestbook posts, one per person and post.';
comment on column public.guestbook_hearts.post_id is 'The post.';
comment on column public.guestbook_hearts.created_by is 'Who gave the heart.';

do $$
declare
  t text;
begin
  foreach t in array array['guestbook_posts', 'guestbook_post_media', 'guestbook_comments', 'guestbook_hearts'] loop
    execute format('comment on column public.%I.resident_id is %L', t, 'The resident whose guestbook this is.');
    execute format('comment on column public.%I.created_by is %L', t, 'Who wrote or added it.');
    execute format('comment on column public.%I.created_at is %L', t, 'When.');
  end loop;
  foreach t in array array['guestbook_posts', 'guestbook_comments'] loop
    execute format('create trigger touch_row before insert or update on public.%I
      for each row execute function private.touch_row()', t);
    execute format('comment on column public.%I.id is %L', t, 'Identifier.');
    execute format('comment on column public.%I.updated_by is %L', t, 'Who last changed it.');
    execute format('comment on column public.%I.updated_at is %L', t, 'When it was last changed.');
  end loop;
end
$$;
