-- The set-returning access helpers return a handful of ids for almost everybody
-- (an org admin gets their organisation's residents). Postgres assumes 1,000 rows
-- for a set-returning function, and then scans whole membership tables instead
-- of looking the few ids up in their indexes.
alter function private.resident_roles() rows 10;
alter function private.resident_ids_with(text) rows 10;
alter function private.visible_unit_ids() rows 5;
alter function private.managed_unit_ids() rows 5;
alter function private.visible_person_ids() rows 50;
