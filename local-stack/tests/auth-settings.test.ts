import { describe, expect, it } from 'vitest'
import { allowedRedirect, loadAuthSettings } from '../src/auth/settings.ts'

describe('auth settings', () => {
  it('default to the Supabase CLI values', () => {
    expect(loadAuthSettings({})).toEqual({
      siteUrl: 'http://localhost:3000', jwtExpiry: 3600, autoconfirm: true, secureEmailChange: true,
      minPasswordLength: 6, refreshReuseInterval: 10, emailOtpExpiry: 3600, smsOtpExpiry: 60, sendFrequency: 1,
      maxFailuresPerAccount: 5, maxFailuresPerAddress: 30, maxCodeFailures: 10, failureWindow: 300,
    })
  })

  it('take shorter limits and another site from the environment, ignoring nonsense', () => {
    const settings = loadAuthSettings({
      STACK_SITE_URL: 'https://minnespor.example', STACK_AUTH_MAX_FAILURES_PER_ACCOUNT: '2',
      STACK_AUTH_FAILURE_WINDOW: '5', STACK_AUTH_AUTOCONFIRM: 'false', STACK_AUTH_JWT_EXPIRY: 'soon',
    })
    expect(settings).toMatchObject({ siteUrl: 'https://minnespor.example', maxFailuresPerAccount: 2,
      failureWindow: 5, autoconfirm: false, jwtExpiry: 3600 })
  })
})

describe('the redirect allow list', () => {
  const settings = loadAuthSettings({ STACK_SITE_URL: 'https://minnespor.example' })

  it.each([
    [undefined, 'https://minnespor.example'],
    ['', 'https://minnespor.example'],
    ['https://minnespor.example/invitation/abc?x=1', 'https://minnespor.example/invitation/abc?x=1'],
    ['http://localhost:3000/reset', 'http://localhost:3000/reset'],
    ['http://127.0.0.1:4173/', 'http://127.0.0.1:4173/'],
    ['http://[::1]:3000/a', 'http://[::1]:3000/a'],
    ['https://minnespor.example.evil.test/', 'https://minnespor.example'],
    ['https://user:pw@minnespor.example/', 'https://minnespor.example'],
    ['http://minnespor.example/', 'https://minnespor.example'],
    ['javascript:alert(1)', 'https://minnespor.example'],
    ['//evil.test/x', 'https://minnespor.example'],
    ['not a url', 'https://minnespor.example'],
  ])('sends %s to %s', (requested, expected) => {
    expect(allowedRedirect(settings, requested)).toBe(expected)
  })
})
