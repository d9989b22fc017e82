// The shared zod schemas accept what the forms send and refuse what the database or common sense would.
import { describe, expect, test } from 'vitest'
import { everydayWishSchema, lifeEventSchema, relationSchema } from '../../shared/schemas/lifeStory'
import { fieldErrors, newResidentSchema, whoIAmSchema } from '../../shared/schemas/resident'
import { storySchema, type StoryNode } from '../../shared/schemas/story'

const nextYear = String(new Date().getFullYear() + 1)

describe('a new resident', () => {
  test.each([
    [{ display_name: '  ' }, 'display_name', 'lifeStory.errors.required'],
    [{ display_name: 'x'.repeat(201) }, 'display_name', 'lifeStory.errors.tooLong'],
    [{ display_name: 'Ingrid', birth_year: nextYear }, 'birth_year', 'lifeStory.errors.future'],
    [{ display_name: 'Ingrid', birth_year: '1700' }, 'birth_year', 'lifeStory.errors.year'],
    [{ display_name: 'Ingrid', birth_date: `${nextYear}-01-01` }, 'birth_date', 'lifeStory.errors.future'],
    [{ display_name: 'Ingrid', birth_date: '1931-02-30x' }, 'birth_date', 'lifeStory.errors.date'],
  ])('%o is refused on %s', (input, field, message) => {
    const result = newResidentSchema.safeParse(input)
    expect(result.success).toBe(false)
    expect(fieldErrors(result.error!)[field]).toBe(message)
  })

  test('takes the year from a full birth date and trims empty fields to null', () => {
    expect(newResidentSchema.parse({ display_name: ' Ingrid Bakken ', preferred_name: '', birth_year: '1920', birth_date: '1931-05-17' }))
      .toEqual({ display_name: 'Ingrid Bakken', preferred_name: null, birth_year: 1931, birth_date: '1931-05-17' })
  })

  test('who I am keeps a long introduction and refuses a too long one', () => {
    expect(whoIAmSchema.parse({ introduction: 'Jeg vokste opp på Toten.' }).introduction).toBe('Jeg vokste opp på Toten.')
    expect(whoIAmSchema.safeParse({ introduction: 'x'.repeat(4001) }).success).toBe(false)
  })
})

describe('life-story items', () => {
  test('a living person described needs consent', () => {
    const result = relationSchema.safeParse({ name: 'Per', description: 'Sønnen min', is_living: true })
    expect(fieldErrors(result.error!).consent).toBe('lifeStory.errors.consent')
    expect(relationSchema.safeParse({ name: 'Per', description: 'Sønnen min', is_living: true, consent: true }).success).toBe(true)
    expect(relationSchema.safeParse({ name: 'Olav', description: 'Mannen min', is_living: false }).success).toBe(true)
  })

  test('an event before birth or in the future is refused; an exact date sets the precision', () => {
    expect(fieldErrors(lifeEventSchema(1931).safeParse({ title: 'Født', event_year: '1920' }).error!).event_year)
      .toBe('lifeStory.errors.beforeBirth')
    expect(lifeEventSchema().safeParse({ title: 'Reise', event_year: nextYear }).success).toBe(false)
    expect(lifeEventSchema(1931).parse({ title: 'Gift med Olav', event_date: '1955-06-18', life_period: 'adult_life' }))
      .toMatchObject({ event_year: 1955, event_date: '1955-06-18', date_precision: 'day', life_period: 'adult_life' })
  })

  test('a wish starts as wished and only knows the three statuses', () => {
    expect(everydayWishSchema.parse({ title: 'Kaffe med fløte' })).toMatchObject({ status: 'wished', category: 'other' })
    expect(everydayWishSchema.safeParse({ title: 'Kaffe', status: 'maybe' }).success).toBe(false)
  })
})

describe('a story body', () => {
  const doc = (content: StoryNode[]) => ({ title: 'Sommeren 1952', body: { type: 'doc', content }, body_text: 'x' })
  const paragraph = (marks: StoryNode['marks']) => ({ type: 'paragraph', content: [{ type: 'text', text: 'Her', marks }] })

  test.each([
    ['a heading, a list and a quote', [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Seter' }] },
      { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(undefined)] }] },
      { type: 'blockquote', content: [paragraph([{ type: 'bold' }])] }], true],
    ['an https link', [paragraph([{ type: 'link', attrs: { href: 'https://nb.no/' } }])], true],
    ['a mailto link', [paragraph([{ type: 'link', attrs: { href: 'mailto:kari@eksempel.no' } }])], true],
    ['a javascript: link', [paragraph([{ type: 'link', attrs: { href: 'javascript:alert(1)' } }])], false],
    ['a data: link', [paragraph([{ type: 'link', attrs: { href: 'data:text/html,<script>' } }])], false],
    ['an unknown node', [{ type: 'iframe' }], false],
    ['an unknown mark', [paragraph([{ type: 'textStyle', attrs: { color: 'red' } }])], false],
  ])('%s: accepted %s', (_label, content, accepted) => {
    expect(storySchema.safeParse(doc(content as StoryNode[])).success).toBe(accepted)
  })
})
