import type { AuthContext } from './context.ts'
import { projectTemplate, renderTemplate, textOf } from './templates.ts'

/** The kinds of message GoTrue sends, named as the `type` of their verify link. */
export type MailType = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change'

interface Template { subject: string, heading: string, intro: string, action: string }

// Plain English like GoTrue's own defaults; the app's Norwegian mails belong to the app.
const templates: Record<MailType, Template> = {
  signup: { subject: 'Confirm your e-mail address', heading: 'Confirm your sign-up',
    intro: 'Open this link to confirm your e-mail address:', action: 'Confirm my e-mail' },
  invite: { subject: 'You have been invited', heading: 'You have been invited',
    intro: 'You were invited to create an account. Open this link to accept:',
    action: 'Accept the invitation' },
  magiclink: { subject: 'Your sign-in link', heading: 'Sign in',
    intro: 'Open this link to sign in:', action: 'Sign in' },
  recovery: { subject: 'Reset your password', heading: 'Reset your password',
    intro: 'Open this link to choose a new password:', action: 'Reset my password' },
  email_change: { subject: 'Confirm the change of e-mail address', heading: 'Confirm the e-mail change',
    intro: 'Open this link to confirm the change of your e-mail address:', action: 'Confirm the change' },
}

const escape = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/** The link in a mail, like GoTrue's {{ .ConfirmationURL }}. */
export function verifyLink(auth: AuthContext, tokenHash: string, type: MailType, redirectTo: string) {
  const query = new URLSearchParams({ token: tokenHash, type, redirect_to: redirectTo })
  return `${auth.stack.apiUrl}/auth/v1/verify?${query}`
}

/** One mail: its recipient, kind, code and where its link leads. */
export interface MailInput {
  to: string
  type: MailType
  otp: string
  tokenHash: string
  redirectTo: string
  /** For an e-mail change: the address being changed to. */
  newEmail?: string
}

/** Puts a mail with link and code into the local mailbox, from the project's template if it has one. */
export async function sendMail(auth: AuthContext, input: MailInput) {
  const link = verifyLink(auth, input.tokenHash, input.type, input.redirectTo)
  const custom = projectTemplate(auth.stack.config.projectDir, input.type)
  const content = custom ? fromProjectTemplate(auth, input, link, custom) : defaultContent(input, link)
  await auth.stack.mailbox.send({
    kind: 'email',
    to: input.to,
    ...content,
    meta: {
      type: input.type, link, otp: input.otp, token_hash: input.tokenHash, redirect_to: input.redirectTo,
    },
  })
}

function fromProjectTemplate(auth: AuthContext, input: MailInput, link: string,
  template: NonNullable<ReturnType<typeof projectTemplate>>) {
  const html = renderTemplate(template.html, {
    ConfirmationURL: link, Token: input.otp, TokenHash: input.tokenHash, SiteURL: auth.settings.siteUrl,
    RedirectTo: input.redirectTo, Email: input.to, NewEmail: input.newEmail,
  })
  return { subject: template.subject ?? templates[input.type].subject, text: textOf(html), html }
}

function defaultContent(input: MailInput, link: string) {
  const template = templates[input.type]
  const change = input.newEmail ? `The new address will be ${input.newEmail}.\n\n` : ''
  const text = `${template.heading}\n\n${change}${template.intro}\n${link}\n\n`
    + `Or enter this code: ${input.otp}\n\nIf you did not ask for this, you can ignore this message.\n`
  const html = `<h2>${escape(template.heading)}</h2>`
    + (input.newEmail ? `<p>The new address will be ${escape(input.newEmail)}.</p>` : '')
    + `<p>${escape(template.intro)}</p><p><a href="${escape(link)}">${escape(template.action)}</a></p>`
    + `<p>Or enter this code: <strong>${input.otp}</strong></p>`
  return { subject: template.subject, text, html }
}

/** Puts a mail with only a code (no link) into the mailbox, for reauthentication. */
export async function sendCodeMail(auth: AuthContext, to: string, otp: string, tokenHash: string) {
  await auth.stack.mailbox.send({
    kind: 'email',
    to,
    subject: 'Confirm it is you',
    text: `Enter this code to confirm it is you: ${otp}\n\n`
      + 'If you did not ask for this, change your password.\n',
    html: `<h2>Confirm it is you</h2><p>Enter this code: <strong>${otp}</strong></p>`,
    meta: { type: 'reauthentication', otp, token_hash: tokenHash },
  })
}

/** Puts a text with the code into the local mailbox; phones are addressed in E.164 with '+'. */
export async function sendSms(auth: AuthContext, phone: string,
  type: 'sms' | 'phone_change' | 'reauthentication',
  otp: string, tokenHash: string) {
  const message = await auth.stack.mailbox.send({
    kind: 'sms',
    to: `+${phone}`,
    text: `Your code is ${otp}`,
    meta: { type, otp, token_hash: tokenHash },
  })
  return String(message.id)
}
