// Deleting a whole profile and deleting one's own account. The database does
// the rows and the audit trail (delete_resident, prepare_account_deletion),
// acting for the signed-in person; the server then deletes the files and,
// for an account, the auth user, which only the secret key may do.
import type { SupabaseClient } from '@supabase/supabase-js'
import { listFolder, removeStoredFiles, type StoredKey } from './storage'

/** A refusal the route answers with a status and a reason code the app translates. */
export class PrivacyRefusal extends Error {
  constructor(public reason: string, public status: number, message: string) {
    super(message)
  }
}

/** Deletes a profile's rows as the caller (org admins only), then every file under its folder. */
export async function deleteWholeProfile(user: SupabaseClient, admin: SupabaseClient, residentId: string) {
  const { data, error } = await user.rpc('delete_resident', { resident_id: residentId })
  if (error) {
    if (error.hint === 'not_allowed_to_delete_resident' || error.code === '22P02') {
      throw new PrivacyRefusal('not_allowed', 403, 'Only an org admin can delete a whole profile.')
    }
    throw new Error(`delete_resident failed for resident ${residentId}: ${error.message}`)
  }
  // The keys come from storage.objects itself, so files no row pointed at go too.
  return { files: await removeStoredFiles(admin, (data ?? []) as StoredKey[], `resident ${residentId}`) }
}

/** Deletes the caller's own account: memberships and pending choices first, then photo and auth user. */
export async function deleteOwnAccount(user: SupabaseClient, admin: SupabaseClient, userId: string) {
  const { data, error } = await user.rpc('prepare_account_deletion')
  if (error) throw new Error(`prepare_account_deletion failed for user ${userId}: ${error.message}`)
  await removeStoredFiles(admin, await listFolder(admin, 'media', `people/${userId}`), `user ${userId}`)
  // A tag that names only this person would be left naming nobody when people.id goes
  // (media_people.person_id is "on delete set null"), which its check refuses, and so
  // would the whole deletion. Those tags go; tags that also name a relation or a typed
  // name stay, without the person.
  const tags = await admin.from('media_people').delete().eq('person_id', userId).is('relation_id', null).is('name', null)
  if (tags.error) throw new Error(`Could not remove the photo tags of user ${userId}: ${tags.error.message}`)
  const removed = await admin.auth.admin.deleteUser(userId)
  if (removed.error) throw new Error(`Could not delete the auth user ${userId}: ${removed.error.message}`)
  return { pendingChoices: Number(data ?? 0) }
}

/** Runs an RPC that deletes rows and returns their files, then deletes the files. */
export async function decideAndRemoveFiles(user: SupabaseClient, admin: SupabaseClient,
  rpc: string, args: Record<string, unknown>, refusals: Record<string, number>) {
  const { data, error } = await user.rpc(rpc, args)
  if (error) {
    const status = refusals[error.hint ?? ''] ?? (error.code === '22P02' ? 404 : undefined)
    if (status) throw new PrivacyRefusal(error.hint || 'not_found', status, error.message)
    throw new Error(`${rpc} failed: ${error.message}`)
  }
  return { files: await removeStoredFiles(admin, (data ?? []) as StoredKey[], rpc) }
}
