-- Changing who has access, and moving, archiving and deleting profiles.
-- Each RPC checks the caller's role, makes the change, and writes the audit trail.

create function public.change_member_role(resident_id uuid, user_id uuid, role text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  caller_role text := private.resident_role(resident_id);
  old_role public.member_role;
begin
  if not private.role_has(caller_role, 'manage_members') then
    raise exception 'You are not allowed to change roles on this profile.'
      using errcode = 'P0001', hint = 'not_allowed_to_manage_members';
  end if;
  if user_id = auth.uid() then
    raise exception 'You cannot change your own role; ask someone else who manages the profile.'
      using errcode = 'P0001', hint = 'cannot_change_own_role';
  end if;
  if role is null or role not in ('primary_contact', 'relative', 'viewer', 'resident') then
    raise exception 'Choose primary contact, relative, viewer or resident as the role.'
      using errcode = 'P0001', hint = 'invalid_role';
  end if;
  select m.role into old_role from public.resident_members m
  where m.resident_id = change_member_role.resident_id and m.user_id = change_member_role.user_id for update;
  if not found then
    raise exception 'That person is not a member of this profile.' using errcode = 'P0001', hint = 'member_not_found';
  end if;
  if caller_role = 'primary_contact'
     and (old_role not in ('relative', 'viewer') or role not in ('relative', 'viewer')) then
    raise exception 'A primary contact can only switch people between relative and viewer.'
      using errcode = 'P0001', hint = 'not_allowed_to_manage_members';
  end if;
  update public.resident_members m set role = change_member_role.role::public.member_role
  where m.resident_id = change_member_role.resident_id and m.user_id = change_member_role.user_id;
  perform private.audit('member_role_changed', resident_id, null, user_id,
    jsonb_build_object('from', old_role, 'to', role));
end
$$;
comment on function public.change_member_role(uuid, uuid, text) is
  'Changes a member''s role on a profile (staff, leaders, org admins; the primary contact between relative and viewer).';

create function public.remove_member(resident_id uuid, user_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  caller_role text := private.resident_role(resident_id);
  old_role public.member_role;
begin
  select m.role into old_role from public.resident_members m
  where m.resident_id = remove_member.resident_id and m.user_id = remove_member.user_id;
  if not found then
    raise exception 'That person is not a member of this profile.' using errcode = 'P0001', hint = 'member_not_found';
  end if;
  if user_id <> auth.uid() and not (
    caller_role in ('org_admin', 'leader', 'superuser')
    or (caller_role = 'primary_contact' and old_role in ('relative', 'viewer'))) then
    raise exception 'You are not allowed to remove this member from the profile.'
      using errcode = 'P0001', hint = 'not_allowed_to_manage_members';
  end if;
  delete from public.resident_members m
  where m.resident_id = remove_member.resident_id and m.user_id = remove_member.user_id;
  perform private.audit('member_removed', resident_id, null, user_id, jsonb_build_object('role', old_role));
end
$$;
comment on function public.remove_member(uuid, uuid) is
  'Removes a member''s access to a profile (managers; the primary contact for relatives and viewers; anyone for themselves).';

create function public.change_unit_member_role(unit_id uuid, user_id uuid, role text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  old_role public.unit_role;
begin
  if not private.can_manage_unit(unit_id) then
    raise exception 'Only org admins, leaders and superusers can change roles in this unit.'
      using errcode = 'P0001', hint = 'not_allowed_to_manage_unit';
  end if;
  if user_id = auth.uid() then
    raise exception 'You cannot change your own role; ask someone else who manages the unit.'
      using errcode = 'P0001', hint = 'cannot_change_own_role';
  end if;
  if role is null or role not in ('staff', 'superuser', 'leader') then
    raise exception 'Choose staff, superuser or leader as the role.' using errcode = 'P0001', hint = 'invalid_role';
  end if;
  select m.role into old_role from public.unit_members m
  where m.unit_id = change_unit_member_role.unit_id and m.user_id = change_unit_member_role.user_id for update;
  if not found then
    raise exception 'That person is not a member of this unit.' using errcode = 'P0001', hint = 'member_not_found';
  end if;
  if private.unit_role(unit_id) = 'superuser' and 'leader' in (role, old_role::text)
     and not exists (select 1 from public.units u where u.id = unit_id and private.is_org_admin(u.organisation_id)) then
    raise exception 'A superuser cannot appoint or change a leader; ask the unit leader or an org admin.'
      using errcode = 'P0001', hint = 'not_allowed_to_manage_unit';
  end if;
  update public.unit_members m set role = change_unit_member_role.role::public.unit_role
  where m.unit_id = change_unit_member_role.unit_id and m.user_id = change_unit_member_role.user_id;
  perform private.audit('unit_member_role_changed', null, unit_id, user_id,
    jsonb_build_object('from', old_role, 'to', role));
end
$$;
comment on function public.change_unit_member_role(uuid, uuid, text) is 'Changes a staff member''s role in a unit.';

create function public.remove_unit_member(unit_id uuid, user_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  old_role public.unit_role;
begin
  select m.role into old_role from public.unit_members m
  where m.unit_id = remove_unit_member.unit_id and m.user_id = remove_unit_member.user_id;
  if not found then
    raise exception 'That person is not a member of this unit.' using errcode = 'P0001', hint = 'member_not_found';
  end if;
  if user_id <> auth.uid() and not (private.can_manage_unit(unit_id) and not (
      old_role = 'leader' and private.unit_role(unit_id) = 'superuser'
      and not exists (select 1 from public.units u where u.id = unit_id and private.is_org_admin(u.organisation_id)))) then
    raise exception 'You are not allowed to remove this person from the unit.'
      using errcode = 'P0001', hint = 'not_allowed_to_manage_unit';
  end if;
  delete from public.unit_members m
  where m.unit_id = remove_unit_member.unit_id and m.user_id = remove_unit_member.user_id;
  perform private.audit('unit_member_removed', null, unit_id, user_id, jsonb_build_object('role', old_role));
end
$$;
comment on function public.remove_unit_member(uuid, uuid) is
  'Removes a staff member from a unit: they lose access to its residents at once.';

create function public.move_resident(resident_id uuid, unit_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  from_unit uuid;
begin
  select r.unit_id into from_unit from public.residents r where r.id = move_resident.resident_id for update;
  if not found or not private.can_manage_unit(from_unit) then
    raise exception 'Only org admins, leaders and superusers of the resident''s unit can move the resident.'
      using errcode = 'P0001', hint = 'not_allowed_to_manage_resident';
  end if;
  if not private.can_manage_unit(unit_id) then
    raise exception 'You can only move a resident to a unit you manage.'
      using errcode = 'P0001', hint = 'not_allowed_to_manage_unit';
  end if;
  if (select organisation_id from public.units where id = unit_id)
     <> (select organisation_id from public.units where id = from_unit) then
    raise exception 'A resident can only move to a unit of the same organisation.'
      using errcode = 'P0001', hint = 'unit_in_other_organisation';
  end if;
  update public.residents r set unit_id = move_resident.unit_id where r.id = move_resident.resident_id;
  perform private.audit('resident_moved', resident_id, unit_id, null,
    jsonb_build_object('from_unit_id', from_unit, 'to_unit_id', unit_id));
end
$$;
comment on function public.move_resident(uuid, uuid) is
  'Moves a resident to another unit of the organisation: the old unit''s staff lose access, the new unit''s gain it.';

create function public.archive_resident(resident_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if not exists (select 1 from public.residents r
                 where r.id = archive_resident.resident_id and private.can_manage_unit(r.unit_id)) then
    raise exception 'Only org admins, leaders and superusers of the resident''s unit can archive the profile.'
      using errcode = 'P0001', hint = 'not_allowed_to_manage_resident';
  end if;
  update public.residents r set status = 'archived', archived_at = coalesce(r.archived_at, now())
  where r.id = archive_resident.resident_id;
  perform private.audit('resident_archived', resident_id);
end
$$;
comment on function public.archive_resident(uuid) is
  'Archives a profile (the resident moved or died): only org admins, leaders and the primary contact still see it.';

create function public.restore_resident(resident_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if not exists (select 1 from public.residents r
                 where r.id = restore_resident.resident_id and private.can_manage_unit(r.unit_id)) then
    raise exception 'Only org admins, leaders and superusers of the resident''s unit can restore the profile.'
      using errcode = 'P0001', hint = 'not_allowed_to_manage_resident';
  end if;
  update public.residents r set status = 'active', archived_at = null where r.id = restore_resident.resident_id;
  perform private.audit('resident_restored', resident_id);
end
$$;
comment on function public.restore_resident(uuid) is 'Makes an archived profile active again.';

-- Rows go here; the files under <resident_id>/ in bucket "media" must be
-- removed through the Storage API (a database cannot delete stored files),
-- so the function returns their keys for the server to delete.
create function public.delete_resident(resident_id uuid) returns table (bucket_id text, name text)
language plpgsql security definer set search_path = '' as $$
declare
  unit uuid;
begin
  select r.unit_id into unit from public.residents r
  join public.units u on u.id = r.unit_id
  where r.id = delete_resident.resident_id and private.is_org_admin(u.organisation_id);
  if not found then
    raise exception 'Only an org admin of the resident''s organisation can delete a whole profile.'
      using errcode = 'P0001', hint = 'not_allowed_to_delete_resident';
  end if;
  perform private.audit('resident_deleted', resident_id, unit);
  delete from public.residents r where r.id = delete_resident.resident_id;
  return query select o.bucket_id, o.name from storage.objects o
    where o.bucket_id = 'media' and o.name like delete_resident.resident_id::text || '/%';
end
$$;
comment on function public.delete_resident(uuid) is
  'Deletes a profile and every row of it (org admins only); returns the storage keys the server must delete.';

create function public.accept_current_legal_documents() returns int
language plpgsql security definer set search_path = '' as $$
declare
  added int;
begin
  if auth.uid() is null then
    raise exception 'Sign in to accept the terms.' using errcode = 'P0001', hint = 'not_signed_in';
  end if;
  insert into public.legal_acceptances (user_id, document_id)
  select auth.uid(), d.id from public.current_legal_documents d
  on conflict do nothing;
  get diagnostics added = row_count;
  if added > 0 then
    perform private.audit('legal_documents_accepted', null, null, auth.uid());
  end if;
  return added;
end
$$;

create view public.current_legal_documents with (security_invoker = true) as
  select distinct on (d.kind) d.id, d.kind, d.version, d.title_nb, d.title_en, d.body_nb, d.body_en,
    d.published_at,
    exists (select 1 from public.legal_acceptances a
            where a.document_id = d.id and a.user_id = auth.uid()) as accepted
  from public.legal_documents d
  where d.published_at <= now()
  order by d.kind, d.version desc;
comment on view public.current_legal_documents is
  'The current version of each legal document and whether the caller accepted it.';

comment on function public.accept_current_legal_documents() is
  'Records that the caller accepted the current version of every legal document; returns how many were new.';

create function public.resident_member_contacts(resident_id uuid) returns table (
  user_id uuid, display_name text, email text, phone text
)
language plpgsql stable security definer set search_path = '' as $$
begin
  if not private.resident_can(resident_id, 'see_contacts') then
    raise exception 'Only staff and admins can see the contact details of a profile''s members.'
      using errcode = 'P0001', hint = 'not_allowed_to_see_contacts';
  end if;
  return query
  select p.id, p.display_name, u.email::text, u.phone
  from public.resident_members m
  join public.people p on p.id = m.user_id
  join auth.users u on u.id = m.user_id
  where m.resident_id = resident_member_contacts.resident_id
  order by p.display_name;
end
$$;
comment on function public.resident_member_contacts(uuid) is
  'E-mail and phone of a profile''s members, for its staff and admins only.';

revoke all on function public.change_member_role(uuid, uuid, text), public.remove_member(uuid, uuid),
  public.change_unit_member_role(uuid, uuid, text), public.remove_unit_member(uuid, uuid),
  public.move_resident(uuid, uuid), public.archive_resident(uuid), public.restore_resident(uuid),
  public.delete_resident(uuid), public.accept_current_legal_documents(),
  public.resident_member_contacts(uuid) from public, anon;
grant execute on function public.change_member_role(uuid, uuid, text), public.remove_member(uuid, uuid),
  public.change_unit_member_role(uuid, uuid, text), public.remove_unit_member(uuid, uuid),
  public.move_resident(uuid, uuid), public.archive_resident(uuid), public.restore_resident(uuid),
  public.delete_resident(uuid), public.accept_current_legal_documents(),
  public.resident_member_contacts(uuid) to authenticated;
