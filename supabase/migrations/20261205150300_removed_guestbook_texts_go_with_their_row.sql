-- The stashed text of a removed post or comment (private.guestbook_removed_texts)
-- is keyed only by the row's id, so deleting the row (by its author, a
-- moderator, or a whole profile deletion through the cascade) left the text
-- behind. It now goes with its row.
create function private.forget_removed_guestbook_text() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from private.guestbook_removed_texts t where t.table_name = tg_table_name and t.row_id = old.id;
  return null;
end
$$;
comment on function private.forget_removed_guestbook_text() is
  'Trigger: deleting a guestbook post or comment also deletes its stashed removed text.';
revoke all on function private.forget_removed_guestbook_text() from public;

create trigger forget_removed_text after delete on public.guestbook_posts
  for each row execute function private.forget_removed_guestbook_text();
create trigger forget_removed_text after delete on public.guestbook_comments
  for each row execute function private.forget_removed_guestbook_text();

-- Texts whose row was deleted before this migration.
delete from private.guestbook_removed_texts t
where (t.table_name = 'guestbook_posts' and not exists (select 1 from public.guestbook_posts p where p.id = t.row_id))
   or (t.table_name = 'guestbook_comments' and not exists (select 1 from public.guestbook_comments c where c.id = t.row_id));
