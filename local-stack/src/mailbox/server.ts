import { createServer } from 'node:http'
import { sendJson } from '../http.ts'
import type { Mailbox, StoredMessage } from './mailbox.ts'

const escape = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

function page(messages: StoredMessage[]) {
  const items = messages.map(m => `
  <article>
    <header><strong>${m.kind === 'sms' ? 'SMS' : 'E-mail'}</strong> to ${escape(m.to)}
      <time>${escape(m.sentAt)}</time></header>
    ${m.subject ? `<h2>${escape(m.subject)}</h2>` : ''}
    <pre>${escape(m.text)}</pre>
    ${m.html ? `<details><summary>HTML</summary><iframe sandbox srcdoc="${escape(m.html)}"></iframe></details>` : ''}
  </article>`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local mailbox</title>
<style>
body{font:18px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
article{border:1px solid #ccc;border-radius:8px;padding:1rem;margin:1rem 0}
time{color:#555;float:right}pre{white-space:pre-wrap;font:inherit}
iframe{width:100%;height:24rem;border:1px solid #ddd}
</style></head><body>
<h1>Local mailbox</h1>
<p>Every e-mail and SMS the local stack sent, newest first. JSON: <code>/api/messages?to=…</code></p>
${items || '<p>No messages yet.</p>'}
</body></html>`
}

/** The mailbox's own web page and JSON API (GET/DELETE /api/messages, GET /api/messages/:id). */
export function createMailboxServer(mailbox: Mailbox) {
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    res.setHeader('access-control-allow-origin', '*')
    try {
      const to = url.searchParams.get('to') ?? undefined
      if (to?.includes('\0')) return sendJson(res, 400, { message: 'The address must not contain NUL' })
      if (url.pathname === '/api/messages' && req.method === 'GET') {
        const limit = Math.max(1, Math.trunc(Number(url.searchParams.get('limit') ?? 100)) || 100)
        return sendJson(res, 200, await mailbox.list({ to, limit }))
      }
      if (url.pathname === '/api/messages' && req.method === 'DELETE') {
        await mailbox.clear(to)
        return sendJson(res, 200, { deleted: true })
      }
      const match = url.pathname.match(/^\/api\/messages\/(\d+)$/)
      if (match && req.method === 'GET') {
        const message = await mailbox.get(Number(match[1]))
        return message ? sendJson(res, 200, message) : sendJson(res, 404, { message: 'No such message' })
      }
      if (url.pathname === '/' && req.method === 'GET') {
        const html = page(await mailbox.list({ to, limit: 200 }))
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        return res.end(html)
      }
      sendJson(res, 404, { message: 'Not found' })
    }
    catch (error) {
      sendJson(res, 500, { message: (error as Error).message })
    }
  })
}
