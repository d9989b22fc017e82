import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { projectTemplate, renderTemplate, textOf } from '../src/auth/templates.ts'
import { lastMessage, newEmail, serviceClient } from './auth-helpers.ts'

/** A project folder with a config.toml and the given template files. */
function projectWith(config: string, files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'stack-templates-'))
  mkdirSync(join(dir, 'supabase', 'templates'), { recursive: true })
  writeFileSync(join(dir, 'supabase', 'config.toml'), config)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'supabase', 'templates', name), text)
  return dir
}

describe('e-mail templates from supabase/config.toml', () => {
  it('are found by their section, subject and content_path', () => {
    const dir = projectWith(`[auth.email]\notp_length = 6\n\n[auth.email.template.magic_link]\n`
      + `subject = "Din \\"lenke\\""\ncontent_path = "./supabase/templates/link.html"\n`, { 'link.html': '<p>Hei</p>' })
    expect(projectTemplate(dir, 'magiclink')).toEqual({ subject: 'Din "lenke"', html: '<p>Hei</p>' })
    expect(projectTemplate(dir, 'invite')).toBeNull()
  })

  it('are left alone when the file is missing, so the stack uses its own text', () => {
    const dir = projectWith(`[auth.email.template.invite]\ncontent_path = "./supabase/templates/gone.html"\n`)
    expect(projectTemplate(dir, 'invite')).toBeNull()
  })

  it('fill in GoTrue\'s variables, escaped for HTML, and leave unknown ones empty', () => {
    const html = renderTemplate('<a href="{{ .RedirectTo }}?token_hash={{.TokenHash}}&type=invite">{{ .Email }}</a>{{ .Nope }}', {
      ConfirmationURL: 'x', Token: '123456', TokenHash: 'abc', SiteURL: 'http://site',
      RedirectTo: 'http://127.0.0.1:3000/invitation/t', Email: 'a<b>@c.no',
    })
    expect(html).toBe('<a href="http://127.0.0.1:3000/invitation/t?token_hash=abc&type=invite">a&#60;b&#62;@c.no</a>')
    expect(textOf(html)).toBe('a<b>@c.no: http://127.0.0.1:3000/invitation/t?token_hash=abc&type=invite\n')
  })
})

describe('the project\'s invitation template', () => {
  it('links to the redirect address with the token hash, not to /verify', async () => {
    const email = newEmail('templated')
    const redirectTo = 'http://127.0.0.1:3999/invitation/0123456789abcdef0123456789abcdef'
    const { error } = await serviceClient().auth.admin.inviteUserByEmail(email, { redirectTo })
    expect(error).toBeNull()
    const mail = await lastMessage(email) as Awaited<ReturnType<typeof lastMessage>> & { html: string }
    expect(mail.subject).toBe('Du er invitert til Minnespor / You are invited to Minnespor')
    const expected = `${redirectTo}?token_hash=${mail.meta.token_hash}&type=invite`
    expect(mail.html).toContain(`href="${expected}"`)
    expect(mail.text).toContain(expected)
    expect(`${mail.text}${mail.html}`).not.toContain('/auth/v1/verify')
  })
})
