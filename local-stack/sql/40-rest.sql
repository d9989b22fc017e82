-- Schema changes reach the REST service's schema cache without a restart, as on
-- Supabase: every DDL command ends with NOTIFY pgrst, 'reload schema'.
-- Idempotent: the stack re-runs this file whenever it changes.

create or replace function _local_stack.notify_rest_schema_change()
returns event_trigger
language plpgsql
as $$
begin
  notify pgrst, 'reload schema';
end
$$;

drop event trigger if exists local_stack_rest_ddl_end;
create event trigger local_stack_rest_ddl_end on ddl_command_end
  execute function _local_stack.notify_rest_schema_change();

drop event trigger if exists local_stack_rest_sql_drop;
create event trigger local_stack_rest_sql_drop on sql_drop
  execute function _local_stack.notify_rest_schema_change();
