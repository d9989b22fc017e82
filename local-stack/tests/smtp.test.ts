// The mailbox's SMTP port: what an app sends over SMTP lands in the mailbox, decoded,
// once per recipient — both from a raw SMTP conversation and from the app's own mailer.
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { smtpMailer } from '../../server/utils/mailer.ts'
import { stack } from './support.ts'

interface Message { to: string, subject?: string, text: string, html?: string, meta: Record<string, any> }

async function mailTo(address: string): Promise<Message[]> {
  const response = await fetch(`${stack.mailboxUrl}/api/messages?to=${encodeURIComponent(address)}`)
  return response.json() as Promise<Message[]>
}

/** Sends the lines one at a time, each after the previous reply; returns the replies. */
async function converse(lines: string[]) {
  const url = new URL(stack.smtpUrl)
  const socket = connect(Number(url.port), url.hostname)
  socket.setEncoding('utf8')
  const replies: string[] = []
  let buffer = ''
  const nextReply = () => new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = buffer.match(/^(?:\d{3}-.*\r\n)*\d{3} .*\r\n/)
      if (!match) return
      buffer = buffer.slice(match[0].length)
      socket.off('data', onData)
      resolve(match[0])
    }
    const onData = (chunk: string) => {
      buffer += chunk
      check()
    }
    socket.on('data', onData)
    socket.once('error', reject)
    check()
  })
  replies.push(await nextReply())
  for (const line of lines) {
    socket.write(`${line}\r\n`)
    replies.push(await nextReply())
  }
  socket.end()
  return replies
}

describe('the local mailbox over SMTP', () => {
  it('stores a message once per recipient, with dots unstuffed and encoded words decoded', async () => {
    const a = `smtp-a-${Date.now()}@example.test`
    const b = `smtp-b-${Date.now()}@example.test`
    const replies = await converse([
      'EHLO tester',
      'AUTH PLAIN AGFueQBhbnk=',
      'MAIL FROM:<app@example.test>',
      `RCPT TO:<${a}>`,
      `RCPT TO:<${b}>`,
      'DATA',
      [
        'Subject: =?UTF-8?B?SGlsc2VuIGZyYSDDmHlzdGVpbg==?=',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Bl=C3=A5b=C3=A6r og =C3=B8l',
        '..a line that began with a dot',
        '.',
      ].join('\r\n'),
      'QUIT',
    ])
    expect(replies.map(r => r.slice(0, 3))).toEqual(['220', '250', '235', '250', '250', '250', '354', '250', '221'])
    for (const to of [a, b]) {
      const [message] = await mailTo(to)
      expect(message).toMatchObject({ to, subject: 'Hilsen fra Øystein', text: 'Blåbær og øl\n.a line that began with a dot' })
      expect(message!.meta).toMatchObject({ type: 'smtp', from: 'app@example.test' })
    }
  })

  it('refuses DATA before a recipient and unknown commands, and keeps the session usable', async () => {
    const replies = await converse(['HELO tester', 'DATA', 'VRFY someone', 'NOOP', 'QUIT'])
    expect(replies.map(r => r.slice(0, 3))).toEqual(['220', '250', '503', '502', '250', '221'])
  })

  it('receives the app\'s own mailer: text and HTML parts in base64, headers kept', async () => {
    const to = `smtp-app-${Date.now()}@example.test`
    await smtpMailer(stack.smtpUrl, 'Minnespor <ikke-svar@minnespor.no>').send({
      to,
      subject: 'Nytt glimt fra Solsiden – «vafler» 🧇',
      text: 'I dag bakte vi vafler, og Ingrid sang med.\n.Punktum først.',
      html: '<p>I dag bakte vi <strong>vafler</strong>.</p>',
      headers: { 'List-Unsubscribe': '<https://app.example/notices/unsubscribe?t=x>' },
    })
    const [message] = await mailTo(to)
    expect(message).toMatchObject({
      subject: 'Nytt glimt fra Solsiden – «vafler» 🧇',
      text: 'I dag bakte vi vafler, og Ingrid sang med.\n.Punktum først.',
      html: '<p>I dag bakte vi <strong>vafler</strong>.</p>',
    })
    expect(message!.meta.headers['list-unsubscribe']).toBe('<https://app.example/notices/unsubscribe?t=x>')
  })
})
