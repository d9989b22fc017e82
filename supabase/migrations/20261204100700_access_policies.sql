-- Row-level security for organisations, units, people, residents, members,
-- invitations, legal documents and the audit trail. Writes that change who
-- has access go through the RPCs (they audit); there are no policies for them here.

alter table public.people enable row level security;
alter table public.organisations enable row level security;
alter table public.organisation_admins enable row level security;
alter table public.units enable row level security;
alter table public.unit_members enable row level security;
alter table public.residents enable row level security;
alter table public.resident_members enable row level security;
alter table public.invitations enable row level security;
alter table public.legal_documents enable row level security;
alter table public.legal_acceptances enable row level security;
alter table public.audit_events enable row level security;

create policy "People can see those they share a profile or unit with" on public.people
  for select to authenticated using (id in (select private.visible_person_ids()));
create policy "People can change their own name and photo" on public.people
  for update to authenticated
  using (id = (select auth.uid())) with check (id = (select auth.uid()));

create policy "Admins, staff and members can see their organisation" on public.organisations
  for select to authenticated using (exists (
    select 1 from public.units u
    where u.organisation_id = organisations.id and u.id in (select private.visible_unit_ids())
  ));
create policy "Org admins can rename their organisation" on public.organisations
  for update to authenticated
  using ((select private.is_org_admin(id))) with check ((select private.is_org_admin(id)));

create policy "Org admins can see the admins; everyone sees their own row"
  on public.organisation_admins for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_org_admin(organisation_id)));

create policy "People can see the units they work in or have a resident in" on public.units
  for select to authenticated using (id in (select private.visible_unit_ids()));
create policy "Org admins can add units" on public.units
  for insert to authenticated with check ((select private.is_org_admin(organisation_id)));
create policy "Org admins, leaders and superusers can change their units" on public.units
  for update to authenticated
  using ((select private.can_manage_unit(id))) with check ((select private.can_manage_unit(id)));
create policy "Org admins can delete units without residents" on public.units
  for delete to authenticated using ((select private.is_org_admin(organisation_id)));

create policy "People who can see a unit can see its staff" on public.unit_members
  for select to authenticated using (unit_id in (select private.visible_unit_ids()));

create policy "People with a role on a resident can see the profile" on public.residents
  for select to authenticated using (id in (select private.resident_ids_with('read')));
create policy "Unit managers can create residents in their units" on public.residents
  for insert to authenticated
  with check ((select private.can_manage_unit(unit_id)) and status = 'active' and created_by = (select auth.uid()));
create policy "Contributors can edit the profile" on public.residents
  for update to authenticated
  using (id in (select private.resident_ids_with('contribute')))
  with check (id in (select private.resident_ids_with('contribute')));

create policy "People who can see a profile can see its members" on public.resident_members
  for select to authenticated using (resident_id in (select private.resident_ids_with('read')));

create policy "Inviters and managers can see invitations"
  on public.invitations for select to authenticated
  using (created_by = (select auth.uid())
    or resident_id in (select private.resident_ids_with('invite'))
    or unit_id in (select private.managed_unit_ids()));

create policy "Anyone can read published legal documents" on public.legal_documents
  for select to anon, authenticated using (published_at <= now());

create policy "Users can see their own acceptances" on public.legal_acceptances
  for select to authenticated using (user_id = (select auth.uid()));
create policy "Users can accept published documents for themselves" on public.legal_acceptances
  for insert to authenticated
  with check (user_id = (select auth.uid())
    and document_id in (select d.id from public.legal_documents d where d.published_at <= now()));

create policy "Org admins and unit leaders can read the audit trail" on public.audit_events
  for select to authenticated
  using ((select private.is_org_admin(organisation_id)) or (select private.unit_role(unit_id)) = 'leader');

-- Which columns a user may change directly; unit, status and ids change only through RPCs.
revoke update on public.units, public.residents, public.people from anon, authenticated;
grant update (name, site_name, closed_at) on public.units to authenticated;
grant update (display_name, preferred_name, birth_date, birth_year, grew_up_in, introduction,
  photo_path, arrived_on) on public.residents to authenticated;
grant update (display_name, avatar_path) on public.people to authenticated;
