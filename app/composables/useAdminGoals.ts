// A unit's goals with their progress (public.unit_goal_progress), and setting or
// removing a goal (RLS: org admins, leaders and superusers of the unit).
export interface GoalProgress {
  goalId: string
  kind: 'sections_within_weeks' | 'glimpse_every_week'
  sections: string[]
  weeks: number
  met: number
  notDue: number
  total: number
}

interface ProgressRow {
  goal_id: string
  kind: GoalProgress['kind']
  sections: string[]
  weeks: number
  met: number
  not_due: number
  total: number
}

export interface NewGoal { kind: GoalProgress['kind'], sections: string[], weeks: number }

/** Goals and progress for one unit. */
export function useAdminGoals(unitId: string) {
  const supabase = useSupabaseClient()
  const goals = useAsyncData(`admin-goals-${unitId}`, async () => {
    const { data, error } = await supabase.rpc('unit_goal_progress', { unit: unitId })
    if (error) throw error
    return ((data ?? []) as ProgressRow[]).map((row): GoalProgress => ({
      goalId: row.goal_id, kind: row.kind, sections: row.sections, weeks: row.weeks,
      met: Number(row.met), notDue: Number(row.not_due), total: Number(row.total),
    }))
  }, { server: false })

  async function add(goal: NewGoal) {
    const { error } = await supabase.from('unit_goals').insert({ unit_id: unitId, ...goal })
    if (error) throw error
    await goals.refresh()
  }

  async function remove(goalId: string) {
    const { error } = await supabase.from('unit_goals').delete().eq('id', goalId)
    if (error) throw error
    await goals.refresh()
  }

  return { goals, add, remove }
}

export interface QuietResident {
  resident_id: string
  display_name: string
  relatives: number
  last_family_activity: string | null
}

/** Residents whose family has not been active lately (public.residents_without_active_relatives). */
export function useAdminQuietFamilies(unitId: string) {
  const supabase = useSupabaseClient()
  return useAsyncData(`admin-quiet-${unitId}`, async () => {
    const { data, error } = await supabase.rpc('residents_without_active_relatives', { unit: unitId, days: 28 })
    if (error) throw error
    return (data ?? []) as QuietResident[]
  }, { server: false })
}
