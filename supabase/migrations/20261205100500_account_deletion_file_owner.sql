-- Deleting an account whose person uploaded files: storage.objects names the
-- uploader in owner (a foreign key to auth.users on some Supabase versions,
-- without ON DELETE) and owner_id, so the Auth admin API could refuse to
-- delete them. prepare_account_deletion now clears both for the caller's
-- files first; whether the files themselves stay is the primary contact's
-- choice, as before.

create or replace function public.prepare_account_deletion() returns int
language plpgsql security definer set search_path = '' as $$
declare
  uid uuid := auth.uid();
  tbl text;
begin
  if uid is null then
    raise exception 'Sign in to delete your account.' using errcode = 'P0001', hint = 'not_signed_in';
  end if;
  create temporary table if not exists authored (resident_id uuid, table_name text, row_id uuid) on commit drop;
  delete from pg_temp.authored;
  foreach tbl in array private.authored_tables() loop
    execute format('insert into pg_temp.authored select t.resident_id, %L, t.id from public.%I t where t.created_by = $1',
      tbl, tbl) using uid;
  end loop;

  insert into public.departed_author_decisions (resident_id, departed_user_id, author_name, item_count)
  select a.resident_id, uid, coalesce((select p.display_name from public.people p where p.id = uid), ''), count(*)
  from pg_temp.authored a group by a.resident_id
  on conflict (resident_id, departed_user_id) do update set item_count = excluded.item_count;
  insert into private.departed_author_items (decision_id, table_name, row_id)
  select d.id, a.table_name, a.row_id from pg_temp.authored a
  join public.departed_author_decisions d on d.resident_id = a.resident_id and d.departed_user_id = uid
  on conflict do nothing;

  perform private.audit('member_removed', m.resident_id, null, uid,
    jsonb_build_object('role', m.role, 'reason', 'account_deleted'))
  from public.resident_members m where m.user_id = uid;
  perform private.audit('unit_member_removed', null, m.unit_id, uid,
    jsonb_build_object('role', m.role, 'reason', 'account_deleted'))
  from public.unit_members m where m.user_id = uid;
  delete from public.resident_members where user_id = uid;
  delete from public.unit_members where user_id = uid;
  delete from public.organisation_admins where user_id = uid;
  -- Files they uploaded stay while the profile keeps them; they no longer name an owner
  -- who is gone (on some Supabase versions owner is a foreign key to auth.users).
  update storage.objects o set owner = null, owner_id = null
  where o.owner = uid or o.owner_id = uid::text;
  return (select count(*) from public.departed_author_decisions d where d.departed_user_id = uid);
end
$$;
