// What an export holds: the rows export_resident returns (see its migration),
// and where each stored file went in the ZIP.

/** One row of a life-story table, as JSON. */
export type ExportRow = Record<string, unknown> & { id: string }

export interface ExportData {
  format: string
  exported_at: string
  resident: Record<string, unknown>
  unit: Record<string, unknown>
  members: Record<string, unknown>[]
  relations: ExportRow[]
  life_events: ExportRow[]
  stories: ExportRow[]
  interests: ExportRow[]
  everyday_wishes: ExportRow[]
  albums: ExportRow[]
  media_items: ExportRow[]
  media_people: ExportRow[]
  guestbook_posts: ExportRow[]
  /** User id → name, for authors. */
  people: Record<string, string>
  /** Storage key → path in the ZIP, filled while the files are added. */
  files: Record<string, string>
  /** Storage keys that could not be read (listed so nothing is silently missing). */
  missing_files: string[]
}

const extension = (path: string) => path.match(/\.([a-z0-9]{1,5})$/i)?.[1]?.toLowerCase() ?? 'bin'

/** A file name safe in any unzip tool: letters (æøå too), digits, dot, dashes, space; at most 80 characters. */
export function safeFileName(name: string) {
  const clean = name.normalize('NFC').replace(/[^\p{L}\p{N}\p{Pd}. ]+/gu, '_').replace(/\s+/g, ' ').trim()
  return Array.from(clean).slice(-80).join('') || 'fil'
}

/** The files an export holds: originals under photos/, web-sized pictures for the book under book/. */
export function plannedFiles(data: ExportData) {
  const planned = new Map<string, string>()
  data.media_items.forEach((item, index) => {
    const original = String(item.storage_path)
    // The stored original decides the extension: a HEIC photo is stored as JPEG and a still
    // GIF as PNG, and a file named ".HEIC" holding JPEG bytes will not open on most computers.
    const stem = String(item.file_name || item.id).replace(/\.[a-z0-9]{1,5}$/i, '')
    const name = safeFileName(`${stem}.${extension(original)}`)
    planned.set(original, `photos/${String(index + 1).padStart(3, '0')} ${name}`)
    for (const variant of Object.values((item.variants ?? {}) as Record<string, unknown>)) {
      if (typeof variant === 'string' && variant !== original) {
        planned.set(variant, `book/${item.id}-${variant.split('/').pop()}`)
      }
    }
  })
  const photoPaths = [data.resident, ...data.relations, ...data.life_events, ...data.interests, ...data.everyday_wishes]
    .map(row => row.photo_path).filter((p): p is string => typeof p === 'string' && p.length > 0)
  const storyPaths = data.stories.flatMap(s => JSON.stringify(s.body ?? {}).match(/"path":"([^"]+)"/g) ?? [])
    .map(match => match.slice(8, -1))
  for (const path of [...photoPaths, ...storyPaths]) {
    if (!planned.has(path)) planned.set(path, `book/${path.split('/').slice(1).join('-')}`)
  }
  return planned
}

/** The captions of the full-size photos, as a text file beside them. */
export function captionsText(data: ExportData) {
  return data.media_items.map(item => [data.files[String(item.storage_path)]?.replace(/^photos\//, ''),
    item.caption, item.taken_year ?? item.taken_period, item.place].filter(Boolean).join(' — ')).join('\n') + '\n'
}
