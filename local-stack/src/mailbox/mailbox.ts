import type pg from 'pg'

export interface OutgoingMessage {
  kind: 'email' | 'sms'
  /** An e-mail address or a phone number in E.164 form. */
  to: string
  subject?: string
  text: string
  html?: string
  /** e.g. { type: 'recovery', link, otp } so tests need not parse bodies. */
  meta?: Record<string, unknown>
}

export interface StoredMessage extends OutgoingMessage {
  id: number
  sentAt: string
}

/** Every e-mail and SMS the stack "sends" lands here instead of leaving the machine. */
export class Mailbox {
  constructor(private readonly pool: pg.Pool) {}

  async send(message: OutgoingMessage): Promise<StoredMessage> {
    const { rows } = await this.pool.query(
      `insert into _local_stack.mailbox (kind, recipient, subject, text_body, html_body, meta)
       values ($1, $2, $3, $4, $5, $6) returning id, sent_at`,
      [message.kind, message.to, message.subject ?? null, message.text, message.html ?? null, message.meta ?? {}],
    )
    return { ...message, id: Number(rows[0].id), sentAt: rows[0].sent_at }
  }

  async list(options: { to?: string, limit?: number } = {}): Promise<StoredMessage[]> {
    const { rows } = await this.pool.query(
      `select * from _local_stack.mailbox
       where $1::text is null or lower(recipient) = lower($1)
       order by id desc limit $2`,
      [options.to ?? null, Math.min(Math.max(options.limit ?? 100, 1), 1000)],
    )
    return rows.map(toMessage)
  }

  async get(id: number): Promise<StoredMessage | undefined> {
    const { rows } = await this.pool.query('select * from _local_stack.mailbox where id = $1', [id])
    return rows[0] ? toMessage(rows[0]) : undefined
  }

  async clear(to?: string) {
    await this.pool.query(
      'delete from _local_stack.mailbox where $1::text is null or lower(recipient) = lower($1)',
      [to ?? null],
    )
  }
}

function toMessage(row: Record<string, any>): StoredMessage {
  return {
    id: Number(row.id),
    kind: row.kind,
    to: row.recipient,
    subject: row.subject ?? undefined,
    text: row.text_body,
    html: row.html_body ?? undefined,
    meta: row.meta,
    sentAt: row.sent_at,
  }
}
