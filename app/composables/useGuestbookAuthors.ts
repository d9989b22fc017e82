// Who wrote what, in words: "Kari Nordmann, datter" or "Per Hansen, helsepersonell,
// Avdeling 2". The database answers (public.guestbook_authors, under RLS).
export interface GuestbookAuthor {
  name: string
  role: string | null
  relationship: string | null
  unitName: string | null
}

interface AuthorRow {
  person_id: string
  display_name: string
  role: string | null
  relationship: string | null
  unit_name: string | null
}

/** The authors of the given residents' guestbooks; `describe(id)` gives name and role in words. */
export function useGuestbookAuthors(residentIds: MaybeRefOrGetter<string[]>) {
  const supabase = useSupabaseClient()
  const { t } = useI18n()
  const authors = ref(new Map<string, GuestbookAuthor>())
  let loading: Promise<void> | null = null
  // Ids we reloaded for once; an author nobody may describe (an admin) stays a plain name.
  const asked = new Set<string>()

  async function load() {
    const rows = await Promise.all(toValue(residentIds).map(async (resident) => {
      const { data, error } = await supabase.rpc('guestbook_authors', { resident })
      if (error) throw error
      return data as AuthorRow[]
    }))
    authors.value = new Map(rows.flat().map(row => [row.person_id, {
      name: row.display_name, role: row.role, relationship: row.relationship, unitName: row.unit_name }]))
  }

  /** Loads again, at most one load at a time (a new member wrote their first post). */
  function refresh() {
    loading ??= load().finally(() => {
      loading = null
    })
    return loading
  }

  function roleInWords(author: GuestbookAuthor) {
    if (author.relationship) return author.relationship
    if (!author.role) return null
    return t(`guestbook.author.${author.role}`, { unit: author.unitName ?? '' })
  }

  /** "name, role in words" for an author id; unknown authors trigger one reload. */
  function describe(personId: string | null) {
    const author = personId ? authors.value.get(personId) : undefined
    if (!author) {
      if (personId && !asked.has(personId)) {
        asked.add(personId)
        // On failure the post keeps the neutral "former user" label shown here.
        refresh().catch(() => undefined)
      }
      return { name: t('guestbook.author.unknown'), role: null }
    }
    return { name: author.name || t('guestbook.author.unknown'), role: roleInWords(author) }
  }

  if (import.meta.client) watch(() => toValue(residentIds).join(), () => refresh(), { immediate: true })

  return { authors, describe, refresh }
}
