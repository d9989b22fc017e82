// The item schemas the forms and any server code share: photos, consent for living
// people, dates against the resident's birth, wishes, each refusal with its message key.
import { describe, expect, test } from 'vitest'
import { everydayWishSchema, interestSchema, lifeEventSchema, relationSchema } from '../../shared/schemas/lifeStory'
import { fieldErrors, whoIAmSchema } from '../../shared/schemas/resident'

const today = new Date().toISOString().slice(0, 10)
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
const photo = '0b8f3c1e-8e2a-4a57-9c55-2f4d4c1f6a10/media/1/display.webp'

describe('a relation', () => {
  test.each([
    ['a photo', { photo_path: photo }],
    ['a description', { description: 'Bor i Bergen' }],
  ])('a living person with %s needs consent', (_label, extra) => {
    const result = relationSchema.safeParse({ name: 'Kari', is_living: true, ...extra })
    expect(fieldErrors(result.error!)).toEqual({ consent: 'lifeStory.errors.consent' })
    expect(relationSchema.parse({ name: 'Kari', is_living: true, consent: true, ...extra })).toMatchObject(extra)
  })

  test('a living person with only a name, or a person no longer alive, needs none', () => {
    expect(relationSchema.safeParse({ name: 'Kari', is_living: true }).success).toBe(true)
    expect(relationSchema.safeParse({ name: 'Olav', is_living: false, photo_path: photo, description: 'Mannen min' }).success)
      .toBe(true)
  })

  test('an empty photo becomes null, a too long key is refused', () => {
    expect(relationSchema.parse({ name: 'Kari', photo_path: '' }).photo_path).toBeNull()
    expect(fieldErrors(relationSchema.safeParse({ name: 'Kari', photo_path: 'x'.repeat(501) }).error!).photo_path)
      .toBe('lifeStory.errors.tooLong')
  })

  test('a name is required and at most 200 characters', () => {
    expect(fieldErrors(relationSchema.safeParse({ name: '   ' }).error!).name).toBe('lifeStory.errors.required')
    expect(fieldErrors(relationSchema.safeParse({ name: 'å'.repeat(201) }).error!).name).toBe('lifeStory.errors.tooLong')
  })
})

describe('a life event', () => {
  test.each([
    ['a date before the birth date', [1931, '1931-05-17'], { event_date: '1931-05-16' }, 'event_date', 'lifeStory.errors.beforeBirth'],
    ['a year before the birth year', [1931, null], { event_year: '1930' }, 'event_year', 'lifeStory.errors.beforeBirth'],
    ['a date in a year before birth', [1931, null], { event_date: '1930-12-31' }, 'event_date', 'lifeStory.errors.beforeBirth'],
    ['a date tomorrow', [null, null], { event_date: tomorrow }, 'event_date', 'lifeStory.errors.future'],
    ['a year that is not a number', [null, null], { event_year: 'i fjor' }, 'event_year', 'lifeStory.errors.year'],
    ['an impossible date', [null, null], { event_date: '1950-02-30' }, 'event_date', 'lifeStory.errors.date'],
  ] as const)('%s is refused', (_label, [year, date], input, field, message) => {
    const result = lifeEventSchema(year, date).safeParse({ title: 'Noe skjedde', ...input })
    expect(result.success).toBe(false)
    expect(fieldErrors(result.error!)[field]).toBe(message)
  })

  test('the birth date itself and today are fine', () => {
    expect(lifeEventSchema(1931, '1931-05-17').parse({ title: 'Født på Toten', event_date: '1931-05-17' }).event_year).toBe(1931)
    expect(lifeEventSchema(1931, '1931-05-17').parse({ title: 'Bursdag', event_date: today }).date_precision).toBe('day')
  })

  test('keeps the photo', () => {
    expect(lifeEventSchema().parse({ title: 'Bryllup', photo_path: photo }).photo_path).toBe(photo)
  })
})

describe('interests, wishes and who I am', () => {
  test('take a photo', () => {
    expect(interestSchema.parse({ title: 'Fiske', photo_path: photo }).photo_path).toBe(photo)
    expect(everydayWishSchema.parse({ title: 'Tur til kaia', photo_path: photo, status: 'done' }))
      .toMatchObject({ photo_path: photo, status: 'done' })
    expect(whoIAmSchema.parse({ photo_path: photo }).photo_path).toBe(photo)
  })

  test('a wish goes wished, planned, done, and nothing else', () => {
    for (const status of ['wished', 'planned', 'done']) {
      expect(everydayWishSchema.parse({ title: 'Høre Prøysen på søndager', status }).status).toBe(status)
    }
    expect(fieldErrors(everydayWishSchema.safeParse({ title: 'Tur', status: 'started' }).error!).status)
      .toBe('lifeStory.errors.invalid')
  })
})
