-- Life-story items change while others look at them (a daughter adds a memory while
-- staff read the page), so their row changes go out through Realtime, under RLS.
alter publication supabase_realtime add table
  public.relations, public.life_events, public.interests, public.everyday_wishes;
