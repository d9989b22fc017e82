// The audit trail as the signed-in org admin or unit leader may read it
// (audit_trail checks), filtered by profile and person, 50 events at a time.
export interface AuditEvent {
  id: number
  occurred_at: string
  action: string
  actor_name: string | null
  subject_name: string | null
  resident_id: string | null
  resident_name: string | null
  unit_name: string | null
}

export interface AuditFilter { kind: 'resident' | 'person', id: string, name: string }

/** Loads the trail for the chosen filters; `more()` appends older events. */
export function usePrivacyAudit(resident: Ref<string | null>, person: Ref<string | null>) {
  const supabase = useSupabaseClient()
  const events = ref<AuditEvent[]>([])
  const filters = ref<AuditFilter[]>([])
  const state = ref<'idle' | 'loading' | 'done' | 'error'>('idle')
  const error = ref<unknown>(null)
  const hasMore = ref(false)
  const pageSize = 50
  let generation = 0

  async function page(before: number | null) {
    const { data, error: failure } = await supabase.rpc('audit_trail', {
      resident: resident.value, person: person.value, before_id: before, page_size: pageSize,
    })
    if (failure) throw failure
    return (data ?? []) as AuditEvent[]
  }

  /** Loads the newest events again; a late answer for old filters is dropped. */
  async function load() {
    const mine = ++generation
    state.value = 'loading'
    try {
      const [rows, options] = await Promise.all([page(null),
        filters.value.length ? filters.value : supabase.rpc('audit_trail_filters').then(r => (r.data ?? []) as AuditFilter[])])
      if (mine !== generation) return
      events.value = rows
      filters.value = options
      hasMore.value = rows.length === pageSize
      state.value = 'done'
    }
    catch (failure) {
      if (mine !== generation) return
      error.value = failure
      state.value = 'error'
    }
  }

  async function more() {
    const rows = await page(events.value.at(-1)?.id ?? null)
    events.value = [...events.value, ...rows]
    hasMore.value = rows.length === pageSize
  }

  watch([resident, person], load)
  return { events, filters, state, error, hasMore, load, more }
}
