// Sends the family reminders that are due, from the Nuxt server's own timer, so they
// go out under `npm run dev` and on any long-lived server without a cron job. The
// quiet period is weeks, so once an hour is plenty. Two servers, or this timer and a
// cron call to POST /api/admin/nudges, never send twice: each run takes a lease in
// the database first (start_family_nudge_run).
// NUDGES_INTERVAL_SECONDS sets the pace (default 3600); 0 turns the timer off, for
// hosting without a long-lived server, where the cron route is used instead (docs/admin.md).
export default defineNitroPlugin((nitroApp) => {
  const mailer = mailerFromEnv()
  const url = appUrlForMail()
  // Without a way to deliver, a run would record reminders as sent that nobody got.
  if (mailer.delivers === false || !url) {
    console.warn('family reminders: not scheduled; set SMTP_URL, APP_URL and the Supabase secret key to send them.')
    return
  }
  startServerTimer(nitroApp, {
    name: 'family reminders',
    seconds: Number(process.env.NUDGES_INTERVAL_SECONDS ?? 3600),
    async run(admin) {
      const result = await sendFamilyNudges(admin, mailer, url, new Date(), { leaseAttempts: 1 })
      return result.sent || result.failed ? `${result.sent} sent, ${result.failed} failed` : null
    },
  })
})
