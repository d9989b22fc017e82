-- Changes to the guestbook and to stories are streamed to open front pages.
-- RLS still decides who receives which row.
alter publication supabase_realtime add table
  public.guestbook_posts, public.guestbook_comments, public.guestbook_hearts, public.stories;
