// The rules of conversation mode's themes, on profiles made here: a theme only when
// there is content for it, starters only for content that exists, sensitive items
// only when chosen, and what brought joy first next time.
import { describe, expect, it } from 'vitest'
import { buildThemes, isAboutWork, joyRanks, reactableItems, sessionItems, storyPassages } from '../../shared/conversation/themes'
import type { ConversationSource, SourceReaction, Theme } from '../../shared/conversation/types'

function emptySource(): ConversationSource {
  return {
    resident: { id: 'r1', name: 'Ingrid Bakken', preferredName: 'Ingrid', grewUpIn: null, introduction: null, photoPath: null },
    relations: [], events: [], stories: [], favourites: [], albums: [], photos: [], reactions: [],
  }
}

function fullSource(): ConversationSource {
  const source = emptySource()
  source.resident.grewUpIn = 'Lofoten'
  source.relations = [
    { id: 'p1', name: 'Per', relationship: 'sønn', description: 'Bor i Bodø.', photoPath: 'r1/per.jpg', isKey: false, sensitive: false },
    { id: 'p2', name: 'Kari', relationship: null, description: null, photoPath: null, isKey: true, sensitive: false },
    { id: 'p3', name: 'Olav', relationship: 'bror', description: 'Døde ung.', photoPath: null, isKey: false, sensitive: true },
  ]
  source.events = [
    { id: 'e1', title: 'Første skoledag', description: null, year: 1948, place: 'Svolvær', lifePeriod: 'childhood', photoPath: null, sensitive: false },
    { id: 'e2', title: 'Begynte som lærer', description: 'På Hamar.', year: 1962, place: null, lifePeriod: 'adult_life', photoPath: null, sensitive: false },
    { id: 'e3', title: 'Flyttet til byen', description: null, year: null, place: null, lifePeriod: 'youth', photoPath: null, sensitive: false },
  ]
  source.stories = [{ id: 's1', title: 'Vintrene i nord', text: 'Første avsnitt.\n\nAndre avsnitt.', lifePeriod: 'childhood', sensitive: false }]
  source.favourites = [
    { id: 'm1', table: 'interest', category: 'music', title: 'Alf Prøysen', description: 'Vårherres klinkekule', link: 'https://example.org/proysen', photoPath: null, sensitive: false },
    { id: 'w1', table: 'everyday_wish', category: 'dislikes', title: 'Høy musikk', description: null, link: null, photoPath: null, sensitive: false },
    { id: 'i1', table: 'interest', category: 'nature', title: 'fjellturer', description: null, link: null, photoPath: null, sensitive: false },
  ]
  source.albums = [{ id: 'a1', title: 'Sommer på hytta', lifePeriod: 'childhood', sensitive: false }]
  source.photos = [
    { id: 'ph1', albumId: 'a1', path: 'r1/media/1.jpg', caption: 'Bading', year: 1950, place: 'Henningsvær', sensitive: false },
    { id: 'ph2', albumId: 'a1', path: 'r1/media/2.jpg', caption: null, year: null, place: null, sensitive: false },
  ]
  return source
}

const theme = (themes: Theme[], id: string) => themes.find(t => t.id === id)

describe('themes', () => {
  it('an empty profile offers no theme and no starter at all', () => {
    expect(buildThemes(emptySource())).toEqual([])
  })

  it('offers a theme only for content that exists', () => {
    const source = emptySource()
    source.relations = [{ id: 'p1', name: 'Per', relationship: 'sønn', description: null, photoPath: null, isKey: false, sensitive: false }]
    expect(buildThemes(source).map(t => t.id)).toEqual(['people', 'mix'])
  })

  it('builds every kind of theme from a full profile', () => {
    const ids = buildThemes(fullSource()).map(t => t.id)
    expect(ids).toEqual(['people', 'grewUp', 'work', 'music', 'period:childhood', 'period:youth', 'period:adult_life', 'album:a1', 'mix'])
  })

  it('puts key people first and gives each person a starter with their name', () => {
    const people = theme(buildThemes(fullSource()), 'people')!
    expect(people.items.map(i => i.title)).toEqual(['Kari', 'Per', 'Olav'])
    expect(people.items[0]!.starter).toEqual({ key: 'relation', params: { name: 'Kari' } })
    expect(people.items[1]!.starter).toEqual({ key: 'relationWithRole', params: { name: 'Per', relationship: 'sønn' } })
  })

  it('starts "where I grew up" with the place, and a starter only when the place is known', () => {
    const grewUp = theme(buildThemes(fullSource()), 'grewUp')!
    expect(grewUp.items[0]!.starter).toEqual({ key: 'grewUp', params: { place: 'Lofoten' } })
    const source = fullSource()
    source.resident.grewUpIn = null
    const without = theme(buildThemes(source), 'grewUp')!
    expect(without.items.some(i => i.starter?.key === 'grewUp')).toBe(false)
  })

  it('finds work in events by their words, and leaves dislikes out of conversation', () => {
    const themes = buildThemes(fullSource())
    expect(theme(themes, 'work')!.items.map(i => i.id)).toEqual(['e2'])
    const all = themes.flatMap(t => t.items.map(i => i.id))
    expect(all).not.toContain('w1')
    expect(isAboutWork('Jobbet på fabrikken')).toBe(true)
    expect(isAboutWork('Bryllup i Bodø')).toBe(false)
  })

  it('shows music with its note and link', () => {
    const [song] = theme(buildThemes(fullSource()), 'music')!.items
    expect(song).toMatchObject({ title: 'Alf Prøysen', text: 'Vårherres klinkekule', link: 'https://example.org/proysen', music: true })
  })

  it('picks starters from each item: place, year, or plain', () => {
    const themes = buildThemes(fullSource())
    const starters = themes.flatMap(t => t.items).map(i => i.starter?.key)
    expect(starters).toContain('eventPlace')
    expect(starters).toContain('eventYear')
    expect(starters).toContain('photoPlace')
    expect(starters).toContain('photo')
    expect(starters).toContain('story')
  })

  it('reads a long story in at most three passages, cut after a sentence', () => {
    const sentence = 'Det var en kald vinter i Lofoten, og vi gikk på ski til skolen hver dag. '
    const passages = storyPassages(sentence.repeat(30))
    expect(passages).toHaveLength(3)
    for (const passage of passages) {
      expect(passage.length).toBeLessThanOrEqual(420)
      expect(passage.endsWith('.')).toBe(true)
    }
    expect(storyPassages('En.\nTo.')).toEqual(['En.\nTo.'])
  })
})

describe('a session', () => {
  const people = () => theme(buildThemes(fullSource()), 'people')!

  it('leaves sensitive items out unless staff chose to include them', () => {
    expect(sessionItems(people(), [], false).map(i => i.id)).toEqual(['p2', 'p1'])
    expect(sessionItems(people(), [], true).map(i => i.id)).toEqual(['p2', 'p1', 'p3'])
  })

  it('shows what brought joy first, most joy first, and "not now" last', () => {
    const reactions: SourceReaction[] = [
      { itemKind: 'relation', itemId: 'p1', reaction: 'good', createdAt: '2026-01-01T10:00:00Z' },
      { itemKind: 'relation', itemId: 'p1', reaction: 'good', createdAt: '2026-01-02T10:00:00Z' },
      { itemKind: 'relation', itemId: 'p2', reaction: 'not_now', createdAt: '2026-01-02T10:00:00Z' },
      { itemKind: 'relation', itemId: 'p3', reaction: 'good', createdAt: '2026-01-02T10:00:00Z' },
    ]
    expect(sessionItems(people(), reactions, true).map(i => i.id)).toEqual(['p1', 'p3', 'p2'])
  })

  it('counts the latest reaction: joy after "not now" brings an item back to the front', () => {
    const { ranks } = joyRanks([
      { itemKind: 'relation', itemId: 'p2', reaction: 'not_now', createdAt: '2026-01-01T10:00:00Z' },
      { itemKind: 'relation', itemId: 'p2', reaction: 'good', createdAt: '2026-01-03T10:00:00Z' },
    ])
    expect(ranks.get('relation:p2')).toBe(0)
  })

  it('asks about a story once, however many passages it was read in', () => {
    const source = fullSource()
    source.stories[0]!.text = 'Et avsnitt som er langt nok. '.repeat(40)
    const story = buildThemes(source).find(t => t.id === 'period:childhood')!.items.filter(i => i.kind === 'story')
    expect(story.length).toBeGreaterThan(1)
    expect(reactableItems(story)).toHaveLength(1)
  })
})
