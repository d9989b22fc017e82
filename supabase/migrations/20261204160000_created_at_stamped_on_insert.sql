-- A signed-in user could send their own created_at with an insert and so post a greeting
-- dated in 2020 or pinned above every new post with a date in 2099. The time an item was
-- added is the database's to say for users; the seed and trusted server code (other roles)
-- may still bring historical dates.
create or replace function private.touch_row() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  new.updated_by := auth.uid();
  if tg_op = 'INSERT' and current_user = 'authenticated' then
    new.created_at := now();
  end if;
  if tg_op = 'UPDATE' then
    new.created_at := old.created_at;
    new.created_by := old.created_by;
  end if;
  return new;
end
$$;
comment on function private.touch_row() is
  'Trigger: sets updated_at/updated_by, stamps created_at for signed-in users and keeps created_at/created_by unchanged.';
