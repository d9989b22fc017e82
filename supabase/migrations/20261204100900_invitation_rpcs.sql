-- Invitations: create (raw token returned once, only its hash stored),
-- preview (for the invitation page, callable without signing in), accept
-- (signed-in user whose address matches; single use) and revoke.
-- Every refusal raises a sentence with errcode P0001 and a stable hint the app translates.

create function private.invitation_token_hash(token text) returns text
language sql immutable set search_path = '' as $$
  select encode(sha256(convert_to(coalesce(token, ''), 'UTF8')), 'hex')
$$;
comment on function private.invitation_token_hash(text) is 'The stored form of an invitation token.';

create function private.normalise_phone(phone text) returns text
language sql immutable set search_path = '' as $$
  select nullif(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), '')
$$;
comment on function private.normalise_phone(text) is
  'A phone number as digits only with country code, the way Supabase Auth stores it (4790000001).';

create function public.create_invitation(
  resident_id uuid default null, unit_id uuid default null, role text default null,
  relationship text default null, email text default null, phone text default null
) returns table (id uuid, token text)
language plpgsql security definer set search_path = '' as $$
declare
  caller_role text;
  new_token text := encode(extensions.gen_random_bytes(16), 'hex');
  new_id uuid;
  clean_email text := nullif(lower(trim(email)), '');
  clean_phone text := private.normalise_phone(phone);
begin
  if auth.uid() is null then
    raise exception 'Sign in to invite someone.' using errcode = 'P0001', hint = 'not_signed_in';
  end if;
  if (resident_id is null) = (unit_id is null) then
    raise exception 'An invitation is either to a resident''s profile or to a unit.'
      using errcode = 'P0001', hint = 'invitation_target_invalid';
  end if;
  if clean_email is null and clean_phone is null then
    raise exception 'Give an e-mail address or a phone number to send the invitation to.'
      using errcode = 'P0001', hint = 'invitation_address_missing';
  end if;
  if clean_email is not null and clean_email not like '%_@_%._%' then
    raise exception 'The e-mail address does not look right.' using errcode = 'P0001', hint = 'invalid_email';
  end if;
  if clean_phone is not null and length(clean_phone) not between 8 and 15 then
    raise exception 'The phone number does not look right; include the country code, e.g. +47.'
      using errcode = 'P0001', hint = 'invalid_phone';
  end if;

  if resident_id is not null then
    if role is null or role not in ('primary_contact', 'relative', 'viewer', 'resident') then
      raise exception 'Choose primary contact, relative, viewer or resident as the role on a profile.'
        using errcode = 'P0001', hint = 'invalid_role';
    end if;
    caller_role := private.resident_role(resident_id);
    if not private.role_has(caller_role, 'invite') then
      raise exception 'You are not allowed to invite people to this profile.'
        using errcode = 'P0001', hint = 'not_allowed_to_invite';
    end if;
    if caller_role = 'primary_contact' and role not in ('relative', 'viewer') then
      raise exception 'A primary contact can invite relatives and viewers; ask the staff for other roles.'
        using errcode = 'P0001', hint = 'not_allowed_to_invite_role';
    end if;
  else
    if role is null or role not in ('staff', 'superuser', 'leader') then
      raise exception 'Choose staff, superuser or leader as the role in a unit.'
        using errcode = 'P0001', hint = 'invalid_role';
    end if;
    if not private.can_manage_unit(unit_id) then
      raise exception 'Only org admins, leaders and superusers can invite staff to this unit.'
        using errcode = 'P0001', hint = 'not_allowed_to_invite';
    end if;
    if role = 'leader' and private.unit_role(unit_id) = 'superuser'
       and not exists (select 1 from public.units u where u.id = unit_id and private.is_org_admin(u.organisation_id)) then
      raise exception 'A superuser cannot invite a leader; ask the unit leader or an org admin.'
        using errcode = 'P0001', hint = 'not_allowed_to_invite_role';
    end if;
  end if;

  insert into public.invitations (resident_id, unit_id, member_role, unit_role, relationship,
                                  email, phone, token_hash, created_by)
  values (resident_id, unit_id,
          case when resident_id is not null then role::public.member_role end,
          case when unit_id is not null then role::public.unit_role end,
          nullif(trim(relationship), ''), clean_email, clean_phone,
          private.invitation_token_hash(new_token), auth.uid())
  returning invitations.id into new_id;

  perform private.audit('invitation_created', resident_id, unit_id, null,
    jsonb_build_object('invitation_id', new_id, 'role', role));
  return query select new_id, new_token;
end
$$;
comment on function public.create_invitation(uuid, uuid, text, text, text, text) is
  'Invites an e-mail address and/or phone number to a profile or unit with a role; returns the raw token once.';

create function private.invitation_status(inv public.invitations) returns text
language sql stable set search_path = '' as $$
  select case
    when inv.revoked_at is not null then 'revoked'
    when inv.accepted_at is not null then 'used'
    when inv.expires_at <= now() then 'expired'
    else 'valid' end
$$;
comment on function private.invitation_status(public.invitations) is 'valid, expired, revoked or used.';

-- Shows only enough of the address for the invitee to recognise it.
create function private.mask_address(email text, phone text) returns text
language sql immutable set search_path = '' as $$
  select case
    when email is not null then left(email, 1) || '***@' || split_part(email, '@', 2)
    else '+' || left(phone, 2) || ' *** ** ' || right(phone, 3) end
$$;
comment on function private.mask_address(text, text) is 'k***@example.no or +47 *** ** 001.';

create function public.invitation_preview(token text) returns table (
  status text, kind text, resident_name text, unit_name text, role text,
  relationship text, invited_by_name text, masked_address text
)
language plpgsql stable security definer set search_path = '' as $$
declare
  inv public.invitations;
begin
  select * into inv from public.invitations i where i.token_hash = private.invitation_token_hash(token);
  if not found then
    raise exception 'This invitation link is not valid. Check that the whole link or code was copied.'
      using errcode = 'P0001', hint = 'invitation_not_found';
  end if;
  return query
  select private.invitation_status(inv),
    case when inv.resident_id is not null then 'resident' else 'unit' end,
    coalesce(r.preferred_name, r.display_name),
    u.name,
    coalesce(inv.member_role::text, inv.unit_role::text),
    inv.relationship,
    p.display_name,
    private.mask_address(inv.email, inv.phone)
  from (select 1) as one
  left join public.residents r on r.id = inv.resident_id
  left join public.units u on u.id = coalesce(inv.unit_id, r.unit_id)
  left join public.people p on p.id = inv.created_by;
end
$$;
comment on function public.invitation_preview(text) is
  'What an invitation is for and whether it can still be used, without using it up.';

create function public.accept_invitation(token text) returns table (
  resident_id uuid, unit_id uuid, role text
)
language plpgsql security definer set search_path = '' as $$
declare
  inv public.invitations;
  uid uuid := auth.uid();
  user_email text;
  user_phone text;
begin
  if uid is null then
    raise exception 'Sign in or create an account to accept the invitation.'
      using errcode = 'P0001', hint = 'not_signed_in';
  end if;
  select * into inv from public.invitations i
  where i.token_hash = private.invitation_token_hash(token) for update;
  if not found then
    raise exception 'This invitation link is not valid. Check that the whole link or code was copied.'
      using errcode = 'P0001', hint = 'invitation_not_found';
  end if;
  case private.invitation_status(inv)
    when 'revoked' then
      raise exception 'This invitation was withdrawn. Ask the person who invited you for a new one.'
        using errcode = 'P0001', hint = 'invitation_revoked';
    when 'used' then
      raise exception 'This invitation has already been used. Ask the person who invited you for a new one.'
        using errcode = 'P0001', hint = 'invitation_used';
    when 'expired' then
      raise exception 'This invitation has expired. Ask the person who invited you for a new one.'
        using errcode = 'P0001', hint = 'invitation_expired';
    else null;
  end case;

  select lower(u.email), private.normalise_phone(u.phone) into user_email, user_phone
  from auth.users u where u.id = uid;
  if not ((inv.email is not null and inv.email = user_email)
          or (inv.phone is not null and inv.phone = user_phone)) then
    raise exception 'This invitation was sent to another e-mail address or phone number. '
      'Sign in with the address it was sent to.'
      using errcode = 'P0001', hint = 'invitation_wrong_address';
  end if;

  if inv.resident_id is not null then
    insert into public.resident_members (resident_id, user_id, role, relationship, invited_by)
    values (inv.resident_id, uid, inv.member_role, inv.relationship, inv.created_by)
    on conflict on constraint resident_members_pkey do update
      set role = least(public.resident_members.role, excluded.role),
          relationship = coalesce(excluded.relationship, public.resident_members.relationship);
  else
    insert into public.unit_members (unit_id, user_id, role, invited_by)
    values (inv.unit_id, uid, inv.unit_role, inv.created_by)
    on conflict on constraint unit_members_pkey do update
      set role = greatest(public.unit_members.role, excluded.role);
  end if;

  update public.invitations set accepted_by = uid, accepted_at = now() where id = inv.id;
  perform private.audit('invitation_accepted', inv.resident_id, inv.unit_id, uid,
    jsonb_build_object('invitation_id', inv.id, 'role', coalesce(inv.member_role::text, inv.unit_role::text)));
  return query select inv.resident_id, inv.unit_id, coalesce(inv.member_role::text, inv.unit_role::text);
end
$$;
comment on function public.accept_invitation(text) is
  'Accepts an invitation for the signed-in user whose e-mail or phone it was sent to; creates the membership.';

create function public.revoke_invitation(invitation_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  inv public.invitations;
begin
  select * into inv from public.invitations i where i.id = invitation_id for update;
  if not found or not (inv.created_by = auth.uid()
      or private.resident_can(inv.resident_id, 'invite')
      or coalesce(private.can_manage_unit(inv.unit_id), false)) then
    raise exception 'There is no invitation you can withdraw with this id.'
      using errcode = 'P0001', hint = 'invitation_not_found';
  end if;
  if inv.accepted_at is not null then
    raise exception 'This invitation has already been used; remove the member instead.'
      using errcode = 'P0001', hint = 'invitation_used';
  end if;
  update public.invitations set revoked_at = coalesce(revoked_at, now()) where id = inv.id;
  perform private.audit('invitation_revoked', inv.resident_id, inv.unit_id, null,
    jsonb_build_object('invitation_id', inv.id));
end
$$;
comment on function public.revoke_invitation(uuid) is 'Withdraws an unused invitation so that its link no longer works.';

revoke all on function public.create_invitation(uuid, uuid, text, text, text, text),
  public.invitation_preview(text), public.accept_invitation(text), public.revoke_invitation(uuid)
  from public, anon;
grant execute on function public.create_invitation(uuid, uuid, text, text, text, text),
  public.accept_invitation(text), public.revoke_invitation(uuid) to authenticated;
grant execute on function public.invitation_preview(text) to anon, authenticated;
