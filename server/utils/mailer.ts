// E-mail the app sends itself (glimpse notices). Supabase Auth only sends its own
// messages (sign-up, invitations, links), so anything else goes out over SMTP:
// SMTP_URL, e.g. smtps://user:password@smtp.example.no:465 or smtp://host:587
// (STARTTLS is used when the server offers it). MAIL_FROM is the sender.
// Under `npm run dev`, SMTP_URL points at the local stack's mailbox
// (smtp://127.0.0.1:54325), so development sends mail the same way as production.
// Without SMTP_URL nothing is sent: the mailer says so in the server log, one
// line per message, without its content.
import { randomUUID } from 'node:crypto'
import { connect as plainConnect, type Socket } from 'node:net'
import { connect as tlsConnect, type TLSSocket } from 'node:tls'

export interface Mail {
  to: string
  subject: string
  text: string
  html?: string
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>
}

export interface Mailer {
  /** Sends one message; rejects with a readable reason when the server refuses it. */
  send(mail: Mail): Promise<void>
  /** False for the mailer that only logs: a scheduler should not mark anything as sent through it. */
  readonly delivers?: boolean
}

/** The mailer the environment asks for: SMTP, else one that only logs. */
export function mailerFromEnv(env: Record<string, string | undefined> = process.env): Mailer {
  const from = env.MAIL_FROM ?? 'Minnespor <ikke-svar@minnespor.no>'
  if (env.SMTP_URL) return smtpMailer(env.SMTP_URL, from)
  return {
    delivers: false,
    async send(mail) {
      console.warn(`mailer: SMTP_URL is not set, so the e-mail "${mail.subject}" was not sent.`)
    },
  }
}

const encodeWord = (text: string) => /^[\x20-\x7e]*$/.test(text)
  ? text
  : `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`
const base64Lines = (text: string) => Buffer.from(text).toString('base64').replace(/.{76}/g, '$&\r\n')
const address = (value: string) => value.match(/<([^>]+)>/)?.[1] ?? value.trim()

/** The message as RFC 5322 text: UTF-8 parts in base64, so any text travels unchanged. */
export function formatMessage(mail: Mail, from: string, date = new Date()) {
  const boundary = `minnespor-${randomUUID()}`
  const headers = {
    'From': from.replace(/^([^<]+)</, (_, name: string) => `${encodeWord(name.trim())} <`),
    'To': mail.to,
    'Subject': encodeWord(mail.subject),
    'Date': date.toUTCString().replace('GMT', '+0000'),
    'Message-ID': `<${randomUUID()}@minnespor>`,
    'MIME-Version': '1.0',
    ...mail.headers,
  }
  const part = (type: string, body: string) =>
    `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(body)}`
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n')
  if (!mail.html) return `${head}\r\n${part('text/plain', mail.text)}\r\n`
  return `${head}\r\nContent-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n`
    + `--${boundary}\r\n${part('text/plain', mail.text)}\r\n`
    + `--${boundary}\r\n${part('text/html', mail.html)}\r\n--${boundary}--\r\n`
}

/** A mailer that speaks SMTP to the server in `url` (smtp:// or smtps://, optional user:password). */
export function smtpMailer(url: string, from: string): Mailer {
  const server = new URL(url)
  const secure = server.protocol === 'smtps:'
  const port = Number(server.port) || (secure ? 465 : 587)
  return {
    delivers: true,
    async send(mail) {
      const session = await SmtpSession.open(server.hostname, port, secure)
      try {
        const greeting = await session.command(`EHLO minnespor`, 250)
        if (!secure && /STARTTLS/i.test(greeting)) {
          await session.command('STARTTLS', 220)
          await session.upgrade(server.hostname)
          await session.command('EHLO minnespor', 250)
        }
        if (server.username) {
          const secret = `\0${decodeURIComponent(server.username)}\0${decodeURIComponent(server.password)}`
          await session.command(`AUTH PLAIN ${Buffer.from(secret).toString('base64')}`, 235)
        }
        await session.command(`MAIL FROM:<${address(from)}>`, 250)
        await session.command(`RCPT TO:<${address(mail.to)}>`, 250)
        await session.command('DATA', 354)
        const body = formatMessage(mail, from).replace(/^\./gm, '..')
        await session.command(`${body}.`, 250)
        await session.command('QUIT', 221).catch(() => undefined)
      }
      finally {
        session.close()
      }
    },
  }
}

// One SMTP conversation: write a line, wait for the complete (maybe multi-line) reply.
class SmtpSession {
  private buffer = ''
  private waiting: (() => void) | null = null
  private failure: Error | null = null

  private constructor(private socket: Socket | TLSSocket) {
    this.listen()
  }

  static async open(host: string, port: number, secure: boolean) {
    const socket = secure ? tlsConnect({ host, port, servername: host }) : plainConnect({ host, port })
    await new Promise<void>((resolve, reject) => {
      socket.once(secure ? 'secureConnect' : 'connect', () => resolve())
      socket.once('error', error => reject(new Error(`Could not reach the mail server ${host}:${port}: ${error.message}`)))
    })
    const session = new SmtpSession(socket)
    await session.reply(220)
    return session
  }

  private listen() {
    this.socket.setEncoding('utf8')
    this.socket.on('data', (chunk: string) => {
      this.buffer += chunk
      this.waiting?.()
    })
    this.socket.on('error', (error) => {
      this.failure = error
      this.waiting?.()
    })
    this.socket.on('close', () => {
      this.failure ??= new Error('The mail server closed the connection.')
      this.waiting?.()
    })
    this.socket.setTimeout(30_000, () => {
      this.failure = new Error('The mail server did not answer within 30 seconds.')
      this.socket.destroy()
    })
  }

  async upgrade(host: string) {
    for (const event of ['data', 'error', 'close', 'timeout']) this.socket.removeAllListeners(event)
    this.socket.setTimeout(0)
    const secured = tlsConnect({ socket: this.socket, servername: host })
    await new Promise<void>((resolve, reject) => {
      secured.once('secureConnect', () => resolve())
      secured.once('error', reject)
    })
    this.socket = secured
    this.listen()
  }

  async command(line: string, expected: number) {
    this.socket.write(`${line}\r\n`)
    return this.reply(expected)
  }

  private async reply(expected: number): Promise<string> {
    for (;;) {
      if (this.failure) throw this.failure
      const end = this.buffer.search(/^\d{3} .*\r?\n/m)
      if (end >= 0) {
        const close = this.buffer.indexOf('\n', end) + 1
        const reply = this.buffer.slice(0, close)
        this.buffer = this.buffer.slice(close)
        const code = Number(reply.slice(end, end + 3))
        if (code !== expected) throw new Error(`The mail server answered "${reply.trim()}" where ${expected} was expected.`)
        return reply
      }
      await new Promise<void>((resolve) => {
        this.waiting = resolve
      })
      this.waiting = null
    }
  }

  close() {
    this.socket.end()
  }
}
