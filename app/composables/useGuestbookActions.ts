// What a person does in the guestbook: post, edit, delete, remove, comment, heart.
// The database decides who may (RLS and the guard trigger); the live channel
// brings the result to every open page, this one included.
import type { GuestbookKind, GuestbookPost } from './useGuestbookQueries'

export interface NewGuestbookPost {
  residentId: string
  kind: GuestbookKind
  body: string
  /** The author saw the health-information warning and chose to post anyway. */
  healthConfirmed?: boolean
  /** Media items (already uploaded, of the same resident) to attach, in order. */
  mediaItemIds?: string[]
}

/** The guestbook's write actions for the signed-in person; each throws Supabase's error. */
export function useGuestbookActions() {
  const supabase = useSupabaseClient()
  const confirmed = (yes?: boolean) => yes ? 'true' : 'false'

  async function createPost(input: NewGuestbookPost) {
    const { data, error } = await supabase.from('guestbook_posts')
      .insert({ resident_id: input.residentId, kind: input.kind, body: input.body })
      .setHeader('x-health-confirmed', confirmed(input.healthConfirmed)).select('id').single()
    if (error) throw error
    const media = (input.mediaItemIds ?? []).map((id, position) => ({
      post_id: data.id, resident_id: input.residentId, media_item_id: id, position }))
    if (media.length) {
      const attached = await supabase.from('guestbook_post_media').insert(media)
      if (attached.error) {
        // A post without the photos it was written for is not what the person shared:
        // take it back, so trying again does not leave two.
        await supabase.from('guestbook_posts').delete().eq('id', data.id)
        throw attached.error
      }
    }
    return data.id as string
  }

  async function editPost(post: GuestbookPost, body: string, healthConfirmed = false) {
    const { error } = await supabase.from('guestbook_posts').update({ body }).eq('id', post.id)
      .setHeader('x-health-confirmed', confirmed(healthConfirmed))
    if (error) throw error
  }

  async function deletePost(post: GuestbookPost) {
    const { error } = await supabase.from('guestbook_posts').delete().eq('id', post.id)
    if (error) throw error
  }

  /** A moderator's removal: the post stays, marked "removed", its text out of sight. */
  async function removePost(post: GuestbookPost) {
    const { error } = await supabase.from('guestbook_posts')
      .update({ removed_at: new Date().toISOString() }).eq('id', post.id)
    if (error) throw error
  }

  async function toggleHeart(post: GuestbookPost, personId: string) {
    const query = post.hearts.includes(personId)
      ? supabase.from('guestbook_hearts').delete().eq('post_id', post.id).eq('created_by', personId)
      : supabase.from('guestbook_hearts').insert({ post_id: post.id, resident_id: post.residentId })
    const { error } = await query
    if (error) throw error
  }

  async function addComment(post: GuestbookPost, body: string, healthConfirmed = false) {
    const { error } = await supabase.from('guestbook_comments')
      .insert({ post_id: post.id, resident_id: post.residentId, body })
      .setHeader('x-health-confirmed', confirmed(healthConfirmed))
    if (error) throw error
  }

  async function deleteComment(commentId: string) {
    const { error } = await supabase.from('guestbook_comments').delete().eq('id', commentId)
    if (error) throw error
  }

  async function removeComment(commentId: string) {
    const { error } = await supabase.from('guestbook_comments')
      .update({ removed_at: new Date().toISOString() }).eq('id', commentId)
    if (error) throw error
  }

  return { createPost, editPost, deletePost, removePost, toggleHeart, addComment, deleteComment, removeComment }
}

/**
 * The health-information check before saving: the words to warn about, or none.
 * Saving anyway is the person's choice; the second attempt goes through, marked as confirmed.
 */
export function healthWarningFor(text: string) {
  return [...new Set(checkHealthText(text).matches.map(match => match.text))]
}

/** Whether a role on a resident may remove others' posts, and post everyday glimpses. */
export function guestbookPowers(role: string | null) {
  const staff = ['org_admin', 'leader', 'superuser', 'staff']
  return {
    moderate: role !== null && [...staff, 'primary_contact'].includes(role),
    glimpse: role !== null && staff.includes(role),
  }
}

/** The signed-in person's strongest role on a resident, from the access store (the database decides). */
export function useGuestbookRole() {
  const access = useAccessStore()
  const exploring = useExploreMode()
  return (residentId: string, unitId: string | null) => {
    // Explore mode: everyone acts as a viewer, who reads and writes greetings only.
    if (exploring.value) return 'viewer'
    const { units, residents, organisations } = access.access
    if (organisations.length) return 'org_admin'
    const unit = units.find(u => u.id === unitId)
    if (unit) return unit.role
    return residents.find(r => r.id === residentId)?.role ?? null
  }
}
