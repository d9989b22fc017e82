-- Two corrections to the family reminders of 20261205120200.
--
-- 1. Those functions are for the server's scheduled task only. Supabase's default
--    privileges give `authenticated` execute on every new function in public, and
--    revoking from `public` does not take that back: an app user could have listed
--    who is due a reminder (with e-mail addresses), marked reminders sent, or turned
--    someone's off with a token. Only the service role may call them now.
-- 2. A reminder is recorded as sent at the moment the task ran for (`at` of
--    family_nudges_due), so a run for a given moment and the next run agree.

drop function public.mark_family_nudge_sent(uuid, uuid);

create function public.mark_family_nudge_sent(person uuid, resident uuid, sent_at timestamptz default now())
returns void
language sql security definer set search_path = '' as $$
  update public.family_nudge_preferences set last_sent_at = sent_at where user_id = person and resident_id = resident
$$;
comment on function public.mark_family_nudge_sent(uuid, uuid, timestamptz) is
  'Service role: records that a reminder went out (at the moment the sending task ran for).';

revoke execute on function public.family_nudges_due(timestamptz), public.mark_family_nudge_sent(uuid, uuid, timestamptz),
  public.unsubscribe_family_nudges(uuid) from public, anon, authenticated;
grant execute on function public.family_nudges_due(timestamptz), public.mark_family_nudge_sent(uuid, uuid, timestamptz),
  public.unsubscribe_family_nudges(uuid) to service_role;
