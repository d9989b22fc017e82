// Sends the glimpse e-mails that are due, every few minutes, without anyone pressing a
// button. Why a timer in the Nuxt server and not pg_cron: the server already holds the
// mail settings and the texts in both languages, it runs the same way under `npm run dev`
// as in production, and pg_cron on Supabase would need pg_net only to call this server
// back. Two servers, or this timer and a cron call, never send twice: each run takes a
// lease in the database first (start_guestbook_notice_run).
// NOTICES_INTERVAL_SECONDS sets the pace (default 300, so "immediately" means within five
// minutes); 0 turns the timer off, for hosting without a long-lived server, where pg_cron
// calls POST /api/guestbook/notices instead (docs/admin.md).
export default defineNitroPlugin((nitroApp) => {
  const mailer = mailerFromEnv()
  const url = appUrlForMail()
  // Without a way to deliver, a run would mark e-mails as sent that nobody got.
  if (mailer.delivers === false || !url) {
    console.warn('guestbook notices: not scheduled; set SMTP_URL, APP_URL and the Supabase secret key to send them.')
    return
  }
  startServerTimer(nitroApp, {
    name: 'guestbook notices',
    seconds: Number(process.env.NOTICES_INTERVAL_SECONDS ?? 300),
    async run(admin) {
      const result = await sendDueNotices(admin, mailer, url, new Date(), { leaseAttempts: 1 })
      return result.sent || result.failed ? `${result.sent} sent, ${result.failed} failed` : null
    },
  })
})
