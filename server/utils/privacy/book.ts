// The printable life-story book inside an export: one HTML file with its own
// styles and no scripts, that opens offline from the unpacked ZIP and prints
// on A4. Pictures are files beside it (book/…), never addresses on the web.
import type { StoryNode } from '../../../shared/schemas/story'
import type { ExportData, ExportRow } from './export-data'

export interface BookTexts {
  title: string
  born: string
  grewUp: string
  sections: Record<'people' | 'life' | 'stories' | 'interests' | 'everyday' | 'albums' | 'guestbook', string>
  periods: Record<string, string>
  video: string
  fullSize: string
  exportedAt: string
  confidential: string
  noAlbum: string
}

const escape = (text: unknown) => String(text ?? '').replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '')
const paragraphs = (text: unknown) => String(text ?? '').split(/\n{2,}/).filter(p => p.trim())
  .map(p => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`).join('')
const osloDate = (value: unknown, locale: string) => value
  ? new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Oslo', dateStyle: 'long' }).format(new Date(String(value)))
  : ''

/** Renders a story's ProseMirror JSON as plain, safe HTML (text is escaped; links only http(s)/mailto). */
export function storyHtml(node: StoryNode | undefined, image: (path: string) => string | undefined): string {
  if (!node) return ''
  const inner = () => (node.content ?? []).map(child => storyHtml(child, image)).join('')
  switch (node.type) {
    case 'doc': return inner()
    case 'paragraph': return `<p>${inner()}</p>`
    case 'heading': return `<h4>${inner()}</h4>`
    case 'bulletList': return `<ul>${inner()}</ul>`
    case 'orderedList': return `<ol>${inner()}</ol>`
    case 'listItem': return `<li>${inner()}</li>`
    case 'blockquote': return `<blockquote>${inner()}</blockquote>`
    case 'hardBreak': return '<br>'
    case 'storyPhoto': {
      const file = image(String(node.attrs?.path ?? ''))
      return file ? `<img src="${escape(file)}" alt="${escape(node.attrs?.alt)}">` : ''
    }
    case 'text': return (node.marks ?? []).reduce((html, mark) => {
      if (mark.type === 'bold') return `<strong>${html}</strong>`
      if (mark.type === 'italic') return `<em>${html}</em>`
      const href = String(mark.attrs?.href ?? '')
      if (mark.type === 'link' && /^(https?:|mailto:)/i.test(href)) return `<a href="${escape(href)}">${html}</a>`
      return html
    }, escape(node.text))
    default: return inner()
  }
}

const styles = `
  body { font: 18px/1.6 Georgia, "Times New Roman", serif; color: #222; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
  h1 { font-size: 2.2rem; margin-bottom: 0 } h2 { margin-top: 3rem; border-bottom: 1px solid #bbb; page-break-before: always }
  h3 { margin-bottom: .2rem } .muted { color: #555 } figure { margin: 1.5rem 0; page-break-inside: avoid }
  img { max-width: 100%; max-height: 24rem; display: block } figcaption { font-style: italic }
  .item { page-break-inside: avoid; margin-bottom: 1.5rem } blockquote { border-left: 3px solid #bbb; margin-left: 0; padding-left: 1rem }
  .cover img { max-height: 30rem; margin: 1rem 0 } footer { margin-top: 3rem; font-size: .9rem }
  @page { size: A4; margin: 2cm } @media print { body { margin: 0; max-width: none } }`

/** The book as one HTML page. `image` maps a storage key to the file's place in the ZIP. */
export function bookHtml(data: ExportData, texts: BookTexts, locale: string, image: (path: unknown) => string | undefined) {
  const r = data.resident
  const name = String(r.preferred_name || r.display_name)
  const picture = (path: unknown, alt: string) => {
    const file = image(path)
    return file ? `<img src="${escape(file)}" alt="${escape(alt)}">` : ''
  }
  const item = (row: ExportRow, heading: string, sub = '') => `<div class="item"><h3>${escape(heading)}</h3>`
    + (sub ? `<p class="muted">${escape(sub)}</p>` : '') + picture(row.photo_path, heading) + paragraphs(row.description) + '</div>'
  const section = (key: keyof BookTexts['sections'], body: string) => body ? `<h2>${escape(texts.sections[key])}</h2>${body}` : ''

  const born = r.birth_date ? osloDate(r.birth_date, locale) : r.birth_year ? String(r.birth_year) : ''
  const cover = `<div class="cover"><h1>${escape(r.display_name)}</h1>`
    + (r.preferred_name ? `<p class="muted">${escape(r.preferred_name)}</p>` : '')
    + picture(r.photo_path, String(r.display_name))
    + (born ? `<p>${escape(fill(texts.born, { date: born }))}</p>` : '')
    + (r.grew_up_in ? `<p>${escape(fill(texts.grewUp, { place: String(r.grew_up_in) }))}</p>` : '')
    + paragraphs(r.introduction) + '</div>'

  const people = data.relations.map(row => item(row, String(row.name), String(row.relationship ?? ''))).join('')
  const life = data.life_events.map(row => item(row, String(row.title),
    [row.event_year, row.place, texts.periods[String(row.life_period)]].filter(Boolean).join(' · '))).join('')
  const stories = data.stories.map(row => `<div class="item"><h3>${escape(row.title)}</h3>`
    + storyHtml(row.body as StoryNode, path => image(path)) + '</div>').join('')
  const interests = data.interests.map(row => item(row, String(row.title))).join('')
  const everyday = data.everyday_wishes.map(row => item(row, String(row.title))).join('')
  const albums = albumHtml(data, texts, image)
  const guestbook = data.guestbook_posts.map(post => `<div class="item"><p class="muted">`
    + `${escape(data.people[String(post.created_by)] ?? '')} · ${escape(osloDate(post.created_at, locale))}</p>`
    + paragraphs(post.body)
    + (post.comments as ExportRow[]).map(c => `<blockquote><p class="muted">${escape(data.people[String(c.created_by)] ?? '')}</p>`
      + `${paragraphs(c.body)}</blockquote>`).join('') + '</div>').join('')

  return `<!doctype html>
<html lang="${locale === 'en' ? 'en' : 'nb'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escape(fill(texts.title, { name }))}</title><style>${styles}</style></head>
<body><main>${cover}${section('people', people)}${section('life', life)}${section('stories', stories)}`
+ `${section('interests', interests)}${section('everyday', everyday)}${section('albums', albums)}`
+ `${section('guestbook', guestbook)}</main><footer class="muted"><p>`
+ `${escape(fill(texts.exportedAt, { date: osloDate(data.exported_at, locale) }))}</p>`
+ `<p>${escape(texts.confidential)}</p></footer></body></html>\n`
}

function albumHtml(data: ExportData, texts: BookTexts, image: (path: unknown) => string | undefined) {
  const groups = [...data.albums.map(a => ({ id: a.id, title: String(a.title) })), { id: null, title: texts.noAlbum }]
  return groups.map((group) => {
    const items = data.media_items.filter(m => (m.album_id ?? null) === group.id)
    if (!items.length) return ''
    const figures = items.map((m) => {
      const shown = image((m.variants as Record<string, string>)?.display ?? m.storage_path)
        ?? image((m.variants as Record<string, string>)?.poster)
      const caption = [m.caption, m.taken_year ?? m.taken_period, m.place].filter(Boolean).join(' · ')
      const full = data.files[String(m.storage_path)]
      return `<figure>${shown ? `<img src="${escape(shown)}" alt="${escape(m.caption ?? '')}">` : ''}`
        + `<figcaption>${escape(caption)}${m.kind === 'video' ? ` (${escape(texts.video)})` : ''}`
        + (full ? ` — <a href="${escape(full)}">${escape(texts.fullSize)}</a>` : '') + '</figcaption></figure>'
    }).join('')
    return `<h3>${escape(group.title)}</h3>${figures}`
  }).join('')
}
