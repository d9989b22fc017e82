// The project's own e-mail templates, as the Supabase CLI hands them to GoTrue: each
// `[auth.email.template.<name>]` section of supabase/config.toml names a `subject` and an
// HTML file (`content_path`, relative to the project folder). GoTrue renders them as Go
// templates; the stack fills in the plain `{{ .Name }}` variables, which is all our
// templates use (no `if`, `range` or pipelines).
import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import type { MailType } from './mail.ts'

/** The config.toml section name of each kind of mail. */
const sectionOf: Record<MailType, string> = {
  signup: 'confirmation',
  invite: 'invite',
  magiclink: 'magic_link',
  recovery: 'recovery',
  email_change: 'email_change',
}

export interface ProjectTemplate { subject?: string, html: string }

/** What a template may name: GoTrue's variables for authentication mails. */
export interface TemplateValues {
  ConfirmationURL: string
  Token: string
  TokenHash: string
  SiteURL: string
  RedirectTo: string
  Email: string
  NewEmail?: string
}

function readSections(configFile: string) {
  const sections = new Map<string, Record<string, string>>()
  let current: Record<string, string> | null = null
  for (const line of readFileSync(configFile, 'utf8').split('\n')) {
    const header = /^\s*\[([^\]]+)\]\s*(?:#.*)?$/.exec(line)
    if (header) {
      current = {}
      sections.set(header[1]!.trim(), current)
      continue
    }
    const setting = /^\s*([a-z_]+)\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(line)
    if (setting && current) current[setting[1]!] = setting[2]!.replace(/\\(["\\])/g, '$1')
  }
  return sections
}

/** The project's template for this kind of mail, or null to use the stack's default text. */
export function projectTemplate(projectDir: string, type: MailType): ProjectTemplate | null {
  const configFile = join(projectDir, 'supabase', 'config.toml')
  if (!existsSync(configFile)) return null
  const section = readSections(configFile).get(`auth.email.template.${sectionOf[type]}`)
  if (!section?.content_path) return null
  const path = isAbsolute(section.content_path) ? section.content_path : join(projectDir, section.content_path)
  if (!existsSync(path)) return null
  return { subject: section.subject, html: readFileSync(path, 'utf8') }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/** Fills `{{ .Name }}` with the value, HTML-escaped as Go's html/template would. */
export function renderTemplate(html: string, values: TemplateValues) {
  return html.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (whole, name: string) => {
    const value = (values as unknown as Record<string, string | undefined>)[name]
    return value === undefined ? '' : escapeHtml(value)
  })
}

/** A readable text part for a mail that only has HTML: links kept as their address. */
export function textOf(html: string) {
  return html
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, '$2: $1')
    .replace(/<(br|\/p|\/h\d|\/li|\/div)\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&').replace(/&nbsp;/g, ' ')
    .split('\n').map(line => line.trim()).filter((line, i, all) => line || all[i - 1]).join('\n').trim() + '\n'
}
