-- Supabase's default privileges give `authenticated` every right on new public tables,
-- so the column-level insert grants of 20261205110000 did not narrow anything: a user
-- could send their own created_at or created_by. Take the broad rights back and grant
-- only what the app needs; the database stamps the time and the author.
revoke all on public.conversation_reactions from authenticated;
grant select, delete on public.conversation_reactions to authenticated;
grant insert (resident_id, item_kind, item_id, reaction, theme, session_id) on public.conversation_reactions to authenticated;

revoke all on public.conversation_calm_items from authenticated;
grant select, delete on public.conversation_calm_items to authenticated;
grant insert (resident_id, item_kind, item_id, position) on public.conversation_calm_items to authenticated;
