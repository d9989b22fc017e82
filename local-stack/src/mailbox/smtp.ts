// An SMTP receiver for the local mailbox, so that an app sends its own e-mail in
// development exactly as in production (SMTP_URL), and the message lands beside
// what Auth sent. It accepts anything on loopback: any sender, any recipients,
// AUTH PLAIN/LOGIN with any password, no TLS. Messages are parsed just enough to
// show them: headers, encoded words, text/plain and text/html parts in base64,
// quoted-printable or plain 7/8 bit.
import { createServer, type Server, type Socket } from 'node:net'
import type { Mailbox } from './mailbox.ts'

const maxMessageBytes = 10 * 1024 * 1024

interface Envelope { from: string, to: string[] }

/** Starts listening with `listen(port, host)`; every accepted message goes into `mailbox`. */
export function createSmtpServer(mailbox: Mailbox): Server {
  return createServer(socket => converse(socket, mailbox))
}

function converse(socket: Socket, mailbox: Mailbox) {
  let envelope: Envelope = { from: '', to: [] }
  let data: Buffer[] | null = null
  let dataBytes = 0
  let pending = Buffer.alloc(0)
  let authStep: 'login-user' | 'login-password' | 'plain' | null = null
  const reply = (line: string) => socket.write(`${line}\r\n`)

  socket.setTimeout(60_000, () => socket.destroy())
  socket.on('error', () => socket.destroy())
  reply('220 local-stack mailbox ESMTP')

  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk])
    for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
      const line = pending.subarray(0, end)
      pending = pending.subarray(end + 2)
      if (data) receiveDataLine(line)
      else void command(line.toString('utf8'))
    }
  })

  function receiveDataLine(line: Buffer) {
    if (line.length === 1 && line[0] === 0x2E) {
      const message = Buffer.concat(data!).toString('utf8')
      const tooLarge = dataBytes > maxMessageBytes
      data = null
      if (tooLarge) return reply('552 Message too large')
      const current = envelope
      envelope = { from: '', to: [] }
      deliver(mailbox, current, message)
        .then(() => reply('250 OK: in the local mailbox'))
        .catch(error => reply(`451 Could not store the message: ${String(error?.message ?? error).slice(0, 200)}`))
      return
    }
    // A leading dot was doubled by the sender (RFC 5321 4.5.2).
    const unstuffed = line[0] === 0x2E ? line.subarray(1) : line
    dataBytes += unstuffed.length + 2
    if (dataBytes <= maxMessageBytes) data!.push(unstuffed, Buffer.from('\r\n'))
  }

  async function command(line: string) {
    if (authStep) {
      authStep = authStep === 'login-user' ? 'login-password' : null
      return reply(authStep ? '334 UGFzc3dvcmQ6' : '235 Accepted')
    }
    const [verb = '', ...rest] = line.split(' ')
    const argument = rest.join(' ')
    switch (verb.toUpperCase()) {
      case 'EHLO':
        return reply('250-local-stack\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760')
      case 'HELO':
        return reply('250 local-stack')
      case 'AUTH': {
        const [mechanism = '', initial] = argument.split(' ')
        if (/^PLAIN$/i.test(mechanism)) {
          if (initial) return reply('235 Accepted')
          authStep = 'plain'
          return reply('334 ')
        }
        if (/^LOGIN$/i.test(mechanism)) {
          authStep = 'login-user'
          return reply('334 VXNlcm5hbWU6')
        }
        return reply('504 Unknown authentication mechanism')
      }
      case 'MAIL':
        envelope = { from: pathOf(argument), to: [] }
        return reply('250 OK')
      case 'RCPT': {
        const to = pathOf(argument)
        if (!to) return reply('501 A recipient is needed')
        envelope.to.push(to)
        return reply('250 OK')
      }
      case 'DATA':
        if (!envelope.to.length) return reply('503 RCPT first')
        data = []
        dataBytes = 0
        return reply('354 End with <CRLF>.<CRLF>')
      case 'RSET':
        envelope = { from: '', to: [] }
        return reply('250 OK')
      case 'NOOP':
        return reply('250 OK')
      case 'QUIT':
        reply('221 Bye')
        return socket.end()
      default:
        return reply('502 Command not implemented')
    }
  }
}

/** `FROM:<a@b> SIZE=12` -> `a@b`. */
function pathOf(argument: string) {
  return argument.match(/<([^>]*)>/)?.[1] ?? argument.replace(/^(FROM|TO):/i, '').trim().split(' ')[0] ?? ''
}

async function deliver(mailbox: Mailbox, envelope: Envelope, raw: string) {
  const message = parseMessage(raw)
  for (const to of envelope.to) {
    await mailbox.send({
      kind: 'email',
      to,
      subject: message.headers.subject,
      text: message.text ?? (message.html ? '' : message.body),
      html: message.html,
      meta: { type: 'smtp', from: envelope.from, headers: message.headers },
    })
  }
}

interface Parsed { headers: Record<string, string>, body: string, text?: string, html?: string }

/** Headers (lower-case names, encoded words decoded) and the text and HTML parts. */
export function parseMessage(raw: string): Parsed {
  const split = raw.search(/\r?\n\r?\n/)
  const head = split < 0 ? raw : raw.slice(0, split)
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '')
  const headers: Record<string, string> = {}
  for (const field of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = field.indexOf(':')
    if (colon > 0) headers[field.slice(0, colon).trim().toLowerCase()] = decodeWords(field.slice(colon + 1).trim())
  }
  const parsed: Parsed = { headers, body }
  collectParts(headers, body, parsed)
  return parsed
}

function collectParts(headers: Record<string, string>, body: string, into: Parsed) {
  const type = (headers['content-type'] ?? 'text/plain').toLowerCase()
  const boundary = (headers['content-type'] ?? '').match(/boundary="?([^";]+)"?/i)?.[1]
  if (type.startsWith('multipart/') && boundary) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break
      const sub = parseMessage(part.replace(/^\r?\n/, ''))
      collectParts(sub.headers, sub.body, into)
    }
    return
  }
  const charset = type.match(/charset="?([\w-]+)"?/)?.[1] ?? 'utf-8'
  const decoded = decodeBody(body, headers['content-transfer-encoding'] ?? '7bit', charset)
  if (type.startsWith('text/html')) into.html ??= decoded
  else if (type.startsWith('text/plain')) into.text ??= decoded
}

function decodeBody(body: string, encoding: string, charset: string) {
  const bytes = /base64/i.test(encoding)
    ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
    : /quoted-printable/i.test(encoding) ? quotedPrintable(body) : Buffer.from(body, 'utf8')
  return new TextDecoder(charset, { fatal: false }).decode(bytes).replace(/\r\n/g, '\n').replace(/\n$/, '')
}

function quotedPrintable(text: string) {
  const soft = text.replace(/=\r?\n/g, '')
  const bytes: number[] = []
  for (let i = 0; i < soft.length; i++) {
    const hex = soft[i] === '=' ? soft.slice(i + 1, i + 3) : ''
    if (/^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16))
      i += 2
    }
    else bytes.push(...Buffer.from(soft[i]!, 'utf8'))
  }
  return Buffer.from(bytes)
}

/** RFC 2047 encoded words: =?charset?B|Q?text?= */
function decodeWords(value: string) {
  return value.replace(/=\?([\w-]+)\?([BQ])\?([^?]*)\?=(\s+(?==\?))?/gi, (_, charset: string, kind: string, text: string) => {
    const bytes = kind.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64')
      : quotedPrintable(text.replace(/_/g, ' '))
    return new TextDecoder(charset, { fatal: false }).decode(bytes)
  })
}
