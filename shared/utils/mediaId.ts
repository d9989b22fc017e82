// The id of an uploaded photo or video, derived from who uploads it and the app's name for the
// file (its upload key, a uuid the same on every retry). The server stores every retry of one
// file under this one id; the app works it out too, to take away a file it cancelled whose
// answer was lost. WebCrypto, so that the server and the browser run the same code.

/** The media id for this uploader's file with this upload key, shaped as a version-8 (custom) uuid. */
export async function uploadMediaId(userId: string, uploadKey: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${userId}:${uploadKey.toLowerCase()}`))
  const hex = Array.from(new Uint8Array(digest), byte => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
