// Every minute the server removes for good the photos and videos whose undo
// time is over (see server/utils/media/purge.ts). What is due is kept in the
// database, so a restart loses nothing: the next sweep picks it up.
import { purgeDeletedMedia } from '../utils/media/purge'

export default defineNitroPlugin((nitroApp) => {
  startServerTimer(nitroApp, {
    name: 'media purge',
    seconds: 60,
    firstAfterSeconds: 10,
    async run(admin) {
      await purgeDeletedMedia(admin)
      return null
    },
  })
})
