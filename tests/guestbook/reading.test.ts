// How a post reads and what it may carry, as pure functions: friendly times in Oslo
// time, links that are only ever http(s), the network told apart from other failures,
// and "up to 10 photos, or one video on its own".
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { friendlyTime } from '../../app/composables/useGuestbookTime'
import { fitsOnePost, mediaKindOf } from '../../app/composables/useGuestbookUpload'
import { isNetworkFailure, textWithLinks } from '../../app/utils/guestbook'
import { fixturesExist, fixturesRoot } from '../media/support'

const messages = (code: 'nb' | 'en') => JSON.parse(readFileSync(
  resolve(import.meta.dirname, `../../i18n/locales/${code}/guestbook.json`), 'utf8')).guestbook.time
// The app's t(): picks the plural form and fills in {placeholders}.
const translate = (code: 'nb' | 'en') => (key: string, values: Record<string, unknown> = {}, plural?: number) => {
  const text = messages(code)[key.replace('guestbook.time.', '')] as string
  const forms = text.split(' | ')
  const form = plural === undefined ? forms[0]! : forms[Math.min(plural === 1 ? 0 : 1, forms.length - 1)]!
  return form.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]))
}

describe('friendly time, in Oslo time', () => {
  const now = new Date('2026-12-04T10:30:00Z') // 11.30 in Oslo (winter time)
  it.each([
    ['2026-12-04T10:29:40Z', 'nb', 'akkurat nå'],
    ['2026-12-04T10:27:00Z', 'nb', 'for 3 minutter siden'],
    ['2026-12-04T10:29:00Z', 'nb', 'for 1 minutt siden'],
    ['2026-12-04T07:15:00Z', 'nb', 'i dag kl. 08.15'],
    ['2026-12-03T13:05:00Z', 'nb', 'i går kl. 14.05'],
    ['2026-12-02T23:30:00Z', 'nb', 'i går kl. 00.30'],
    ['2026-11-20T13:05:00Z', 'nb', '20. november kl. 14.05'],
    ['2025-06-20T12:05:00Z', 'nb', '20. juni 2025 kl. 14.05'],
    ['2026-12-03T13:05:00Z', 'en', 'yesterday at 14:05'],
    ['2026-11-20T13:05:00Z', 'en', '20 November at 14:05'],
  ] as const)('%s reads as %s: "%s"', (value, code, expected) => {
    expect(friendlyTime(value, now, translate(code), code)).toBe(expected)
  })

  it('counts "yesterday" by the Oslo calendar across the change to summer time', () => {
    // 00.30 on 30 March: 24 hours earlier is still 28 March, but yesterday was the 29th.
    const night = new Date('2026-03-29T22:30:00Z')
    expect(friendlyTime('2026-03-29T12:05:00Z', night, translate('nb'), 'nb')).toBe('i går kl. 14.05')
  })
})

describe('links in a post', () => {
  it('turns only http(s) addresses into links, leaving sentence punctuation outside', () => {
    expect(textWithLinks('Se https://eksempel.no/album?id=7&side=2. Fint, ikke sant?')).toEqual([
      { text: 'Se ', href: null },
      { text: 'https://eksempel.no/album?id=7&side=2', href: 'https://eksempel.no/album?id=7&side=2' },
      { text: '. Fint, ikke sant?', href: null },
    ])
  })

  it.each([
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '<a href="javascript:alert(1)">klikk</a>',
    'vbscript:msgbox',
  ])('keeps %s as plain text', (text) => {
    expect(textWithLinks(text).every(part => part.href === null)).toBe(true)
    expect(textWithLinks(text).map(part => part.text).join('')).toBe(text)
  })

  it('keeps every character of long Norwegian text with emoji', () => {
    const text = 'Blåbær på Ærøy 👵🏼❤️🇳🇴 http://gammel.no/bilde, og så kaffe ☕\nNy linje'
    expect(textWithLinks(text).map(part => part.text).join('')).toBe(text)
    expect(textWithLinks(text).filter(part => part.href).map(part => part.href)).toEqual(['http://gammel.no/bilde'])
  })
})

describe('telling a lost network from other failures', () => {
  it.each([
    [{ message: 'TypeError: Failed to fetch' }, true],
    [{ message: 'NetworkError when attempting to fetch resource.' }, true],
    [{ message: 'Load failed' }, true],
    [{ message: 'new row violates row-level security policy', code: '42501' }, false],
    [null, false],
  ])('%j → %s', (error, expected) => {
    expect(isNetworkFailure(error)).toBe(expected)
  })
})

describe('what one post may carry', () => {
  it.each([
    [['image'], true],
    [Array(10).fill('image'), true],
    [Array(11).fill('image'), false],
    [['video'], true],
    [['video', 'image'], false],
    [['video', 'video'], false],
  ] as const)('%j fits: %s', (kinds, expected) => {
    expect(fitsOnePost([...kinds])).toBe(expected)
  })

  it.runIf(fixturesExist)('tells photos from videos by their first bytes, HEIC and MOV included', () => {
    const head = (path: string) => new Uint8Array(readFileSync(resolve(fixturesRoot, path)).subarray(0, 16))
    expect(mediaKindOf(head('heic/iphone13promax-orientation6.HEIC'))).toBe('image')
    expect(mediaKindOf(head('heic/nokia83-gps.heif'))).toBe('image')
    expect(mediaKindOf(head('formats/denali-exif.webp'))).toBe('image')
    expect(mediaKindOf(head('formats/muybridge-horse-animated.gif'))).toBe('image')
    expect(mediaKindOf(head('video/iphone6-portrait-gps.mov'))).toBe('video')
    expect(mediaKindOf(head('video/h264-720p-loci-gps.mp4'))).toBe('video')
    expect(mediaKindOf(new TextEncoder().encode('dette er tekst, ikke et bilde'))).toBeNull()
  })
})
