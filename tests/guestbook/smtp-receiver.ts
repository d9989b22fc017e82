// A tiny SMTP receiver on loopback for the mailer's tests: it accepts every
// message and keeps the raw text, so tests read what a mail server would get.
import { createServer, type Socket } from 'node:net'

export interface ReceivedMail { from: string, to: string[], data: string }

/** Starts the receiver on a free port; `close()` stops it. */
export async function startSmtpReceiver() {
  const received: ReceivedMail[] = []
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    let buffer = ''
    let mail: ReceivedMail = { from: '', to: [], data: '' }
    let inData = false
    socket.write('220 test ESMTP\r\n')
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8')
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (inData) {
          if (line === '.') {
            inData = false
            received.push(mail)
            mail = { from: '', to: [], data: '' }
            socket.write('250 queued\r\n')
          }
          else mail.data += `${line.startsWith('..') ? line.slice(1) : line}\r\n`
        }
        else if (/^EHLO/i.test(line)) socket.write('250-test\r\n250 AUTH PLAIN\r\n')
        else if (/^AUTH PLAIN/i.test(line)) socket.write('235 ok\r\n')
        else if (/^MAIL FROM:/i.test(line)) {
          mail.from = line.slice(10)
          socket.write('250 ok\r\n')
        }
        else if (/^RCPT TO:/i.test(line)) {
          mail.to.push(line.slice(8))
          socket.write('250 ok\r\n')
        }
        else if (/^DATA/i.test(line)) {
          inData = true
          socket.write('354 go on\r\n')
        }
        else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n')
        else socket.write('502 not here\r\n')
      }
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `smtp://minnespor:hemmelig@127.0.0.1:${port}`,
    received,
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise<void>(resolve => server.close(() => resolve()))
    },
  }
}

/** The decoded text/plain part of a raw message. */
export function plainText(raw: string) {
  const part = raw.split(/Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n/)[1]
  return Buffer.from((part ?? '').split(/\r\n(--|\r\n)/)[0]!.replace(/\r\n/g, ''), 'base64').toString('utf8')
}
