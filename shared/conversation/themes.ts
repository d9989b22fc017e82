// Themes for conversation mode, built only from what the profile holds: a theme
// with nothing in it is not offered, and a starter exists only for content that
// exists. Pure functions, so the rules are tested without a browser.
import type {
  ConversationItem, ConversationSource, LifePeriod, SourceEvent, SourceFavourite, SourcePhoto, SourceReaction,
  SourceRelation, SourceStory, Starter, Theme, ThemeId,
} from './types'

export const lifePeriods: LifePeriod[] = ['childhood', 'youth', 'adult_life', 'later_life']

/** A story is read in passages of about this many characters, at most three per story. */
const passageLength = 420
const passagesPerStory = 3
/** "A bit of everything" stays short enough for one sitting. */
const mixLength = 12

// There is no "work" category in the life story, so the work theme finds events and
// stories whose words speak of work (Norwegian and English word starts).
const workWords = [
  'arbeid', 'jobb', 'yrke', 'ansatt', 'lærer', 'fisk', 'bonde', 'gård', 'fabrikk', 'butikk', 'sykepleie',
  'kontor', 'sjømann', 'snekker', 'verksted', 'pensjon', 'lønn', 'læretid', 'utdann', 'sjåfør', 'skomaker',
  'work', 'job', 'career', 'employ', 'teacher', 'farm', 'factory', 'shop', 'nurse', 'office', 'retire',
]
const workPattern = new RegExp(`(^|[^\\p{L}])(${workWords.join('|')})`, 'iu')

export function isAboutWork(text: string) {
  return workPattern.test(text)
}

/** Splits a story's text into passages for reading aloud, keeping paragraphs whole where it can. */
export function storyPassages(text: string): string[] {
  const paragraphs = text.split(/\n+/).map(p => p.trim()).filter(Boolean)
  const passages: string[] = []
  for (const paragraph of paragraphs) {
    const last = passages.at(-1)
    if (last !== undefined && last.length + paragraph.length + 1 <= passageLength) passages[passages.length - 1] = `${last}\n${paragraph}`
    else passages.push(...splitLong(paragraph))
  }
  return passages.slice(0, passagesPerStory)
}

/** A paragraph longer than a passage is cut after a sentence where possible. */
function splitLong(paragraph: string): string[] {
  const pieces: string[] = []
  let rest = paragraph
  while (rest.length > passageLength) {
    const window = rest.slice(0, passageLength)
    const stop = Math.max(window.lastIndexOf('. '), window.lastIndexOf('! '), window.lastIndexOf('? '))
    const cut = stop > passageLength / 3 ? stop + 1 : (window.lastIndexOf(' ') > 0 ? window.lastIndexOf(' ') : passageLength)
    pieces.push(rest.slice(0, cut).trim())
    rest = rest.slice(cut).trim()
  }
  if (rest) pieces.push(rest)
  return pieces
}

function yearAndPlace(year: number | null, place: string | null) {
  return [year, place].filter(Boolean).join(' · ') || null
}

function relationItem(relation: SourceRelation): ConversationItem {
  return {
    key: `relation:${relation.id}`, kind: 'relation', id: relation.id, title: relation.name,
    subtitle: relation.relationship, text: relation.description, photoPath: relation.photoPath, link: null,
    sensitive: relation.sensitive, music: false,
    starter: relation.relationship
      ? { key: 'relationWithRole', params: { name: relation.name, relationship: relation.relationship } }
      : { key: 'relation', params: { name: relation.name } },
  }
}

function eventItem(event: SourceEvent): ConversationItem {
  let starter: Starter = { key: 'event', params: { title: event.title } }
  if (event.place) starter = { key: 'eventPlace', params: { title: event.title, place: event.place } }
  else if (event.year) starter = { key: 'eventYear', params: { title: event.title, year: event.year } }
  return {
    key: `life_event:${event.id}`, kind: 'life_event', id: event.id, title: event.title,
    subtitle: yearAndPlace(event.year, event.place), text: event.description, photoPath: event.photoPath, link: null,
    sensitive: event.sensitive, music: false, starter,
  }
}

function storyItems(story: SourceStory, limit = passagesPerStory): ConversationItem[] {
  const passages = storyPassages(story.text).slice(0, limit)
  return passages.map((passage, index) => ({
    key: `story:${story.id}:${index}`, kind: 'story' as const, id: story.id, title: story.title,
    subtitle: passages.length > 1 ? `${index + 1} / ${passages.length}` : null, text: passage,
    photoPath: null, link: null, sensitive: story.sensitive, music: false,
    starter: index === 0 ? { key: 'story', params: { title: story.title } } : null,
  }))
}

function favouriteItem(favourite: SourceFavourite): ConversationItem {
  const music = favourite.category === 'music'
  return {
    key: `${favourite.table}:${favourite.id}`, kind: favourite.table, id: favourite.id, title: favourite.title,
    subtitle: null, text: favourite.description, photoPath: favourite.photoPath, link: music ? favourite.link : null,
    sensitive: favourite.sensitive, music,
    starter: { key: music ? 'music' : 'interest', params: { title: favourite.title } },
  }
}

function photoItem(photo: SourcePhoto): ConversationItem {
  return {
    key: `media_item:${photo.id}`, kind: 'media_item', id: photo.id, title: photo.caption ?? '',
    subtitle: yearAndPlace(photo.year, photo.place), text: null, photoPath: photo.path, link: null,
    sensitive: photo.sensitive, music: false,
    starter: photo.place ? { key: 'photoPlace', params: { place: photo.place } } : { key: 'photo', params: {} },
  }
}

function grewUpItem(source: ConversationSource): ConversationItem[] {
  const { resident } = source
  if (!resident.grewUpIn) return []
  return [{
    key: `resident:${resident.id}`, kind: 'resident', id: resident.id, title: resident.grewUpIn,
    subtitle: null, text: null, photoPath: null, link: null, sensitive: false, music: false,
    starter: { key: 'grewUp', params: { place: resident.grewUpIn } },
  }]
}

/** Whether a wish belongs in a conversation at all: dislikes are for staff to know, not to talk through. */
function conversational(favourite: SourceFavourite) {
  return favourite.table === 'interest' || favourite.category !== 'dislikes'
}

function photosOfAlbums(source: ConversationSource, albumIds: Set<string>) {
  return source.photos.filter(photo => photo.albumId && albumIds.has(photo.albumId)).map(photoItem)
}

function periodItems(source: ConversationSource, period: LifePeriod): ConversationItem[] {
  const albums = new Set(source.albums.filter(a => a.lifePeriod === period).map(a => a.id))
  return [
    ...source.events.filter(e => e.lifePeriod === period).map(eventItem),
    ...photosOfAlbums(source, albums),
    ...source.stories.filter(s => s.lifePeriod === period).flatMap(s => storyItems(s)),
  ]
}

/** Takes one item from each list in turn, so a mix moves between people, places, photos and songs. */
function interleave(lists: ConversationItem[][], limit: number) {
  const out: ConversationItem[] = []
  for (let round = 0; out.length < limit && lists.some(list => round < list.length); round++) {
    for (const list of lists) if (list[round] && out.length < limit) out.push(list[round]!)
  }
  return out
}

/** Every theme the profile has content for, in the order they are offered. */
export function buildThemes(source: ConversationSource): Theme[] {
  const favourites = source.favourites.filter(conversational)
  const music = favourites.filter(f => f.category === 'music').map(favouriteItem)
  const people = [...source.relations].sort((a, b) => Number(b.isKey) - Number(a.isKey)).map(relationItem)
  const grewUp = [...grewUpItem(source), ...periodItems(source, 'childhood')]
  const work = [
    ...source.events.filter(e => isAboutWork(`${e.title} ${e.description ?? ''}`)).map(eventItem),
    ...source.stories.filter(s => isAboutWork(s.title)).flatMap(s => storyItems(s)),
  ]
  const mix = interleave([
    people, source.events.map(eventItem), source.photos.map(photoItem), music,
    source.stories.flatMap(s => storyItems(s, 1)), favourites.filter(f => f.category !== 'music').map(favouriteItem),
    grewUpItem(source),
  ], mixLength)

  const themes: Theme[] = [
    { id: 'people', label: { key: 'people', params: {} }, items: people },
    { id: 'grewUp', label: { key: 'grewUp', params: {} }, items: grewUp },
    { id: 'work', label: { key: 'work', params: {} }, items: work },
    { id: 'music', label: { key: 'music', params: {} }, items: music },
    ...lifePeriods.map(period => ({
      id: `period:${period}` as ThemeId, label: { key: `period.${period}`, params: {} }, items: periodItems(source, period),
    })),
    ...source.albums.map(album => ({
      id: `album:${album.id}` as ThemeId, label: { key: 'album', params: { title: album.title } },
      items: photosOfAlbums(source, new Set([album.id])),
    })),
    { id: 'mix', label: { key: 'mix', params: {} }, items: mix },
  ]
  return themes.filter(theme => theme.items.length > 0)
}

/** How each item was received before: 0 brought joy, 1 not yet marked or neutral, 2 "not now" last time. */
export function joyRanks(reactions: SourceReaction[]) {
  const latest = new Map<string, SourceReaction>()
  const goods = new Map<string, number>()
  for (const reaction of [...reactions].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const key = `${reaction.itemKind}:${reaction.itemId}`
    latest.set(key, reaction)
    if (reaction.reaction === 'good') goods.set(key, (goods.get(key) ?? 0) + 1)
  }
  const ranks = new Map<string, number>()
  for (const [key, reaction] of latest) {
    ranks.set(key, reaction.reaction === 'not_now' ? 2 : goods.has(key) ? 0 : 1)
  }
  return { ranks, goods }
}

/** The item key without a story's passage number: reactions belong to the whole story. */
export function reactionKey(item: Pick<ConversationItem, 'kind' | 'id'>) {
  return `${item.kind}:${item.id}`
}

/**
 * The items of a theme for one session: sensitive ones left out unless chosen, then
 * what brought joy first (most often first), what was "not now" last, otherwise as
 * the profile orders them. A story's passages stay together and in order.
 */
export function sessionItems(theme: Theme, reactions: SourceReaction[], includeSensitive: boolean) {
  const { ranks, goods } = joyRanks(reactions)
  const kept = theme.items.filter(item => includeSensitive || !item.sensitive)
  const order = kept.map((item, index) => ({ item, index }))
  order.sort((a, b) => {
    const ka = reactionKey(a.item)
    const kb = reactionKey(b.item)
    const rank = (ranks.get(ka) ?? 1) - (ranks.get(kb) ?? 1)
    if (rank !== 0) return rank
    const joy = (goods.get(kb) ?? 0) - (goods.get(ka) ?? 0)
    return joy !== 0 ? joy : a.index - b.index
  })
  return order.map(entry => entry.item)
}

/** The distinct items a session showed, once each, for marking what sparked joy. */
export function reactableItems(items: ConversationItem[]) {
  const seen = new Set<string>()
  return items.filter((item) => {
    const key = reactionKey(item)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
