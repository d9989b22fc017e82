import type { SupabaseClient } from '@supabase/supabase-js'

/** Sets the name others see on posts and member lists (the person's own `people` row). */
export async function saveDisplayName(supabase: SupabaseClient, userId: string, name: string) {
  const { error } = await supabase.from('people').update({ display_name: name }).eq('id', userId)
  if (error) throw error
}
