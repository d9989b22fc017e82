// The music link of interests and everyday wishes: http(s) only, in words when it is not.
import { describe, expect, it } from 'vitest'
import { everydayWishSchema, interestSchema } from '../../shared/schemas/lifeStory'

describe('music links', () => {
  it.each([interestSchema, everydayWishSchema])('keeps a web address and leaves an empty one out', (schema) => {
    expect(schema.parse({ title: 'Alf Prøysen', music_link: ' https://example.org/proysen ' }).music_link).toBe('https://example.org/proysen')
    expect(schema.parse({ title: 'Alf Prøysen', music_link: '' }).music_link).toBeNull()
    expect(schema.parse({ title: 'Alf Prøysen' }).music_link).toBeUndefined()
  })

  it.each(['javascript:alert(1)', 'ftp://example.org/a', 'example.org/sang', 'https://'])('refuses %s with a message to show', (link) => {
    const result = interestSchema.safeParse({ title: 'Sang', music_link: link })
    expect(result.success).toBe(false)
    expect(result.error!.issues.map(issue => issue.message)).toEqual(['conversation.errors.musicLink'])
  })
})
