// Minnespor's service worker: small on purpose. It makes the app installable and lets
// the calm set (conversation mode) open on a ward tablet without a network.
// It only ever answers requests to this site; Supabase and every other origin pass
// by untouched, and it never fetches anything by itself except what the page asked for.
const version = 'v1'
const assets = `minnespor-assets-${version}`
const pages = `minnespor-pages-${version}`
// Written by the page (useConversationCalm); the worker only reads it.
const calm = 'minnespor-calm-v1'

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(assets)
    .then(cache => cache.addAll(['/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon.svg', '/favicon.svg']))
    .then(() => self.skipWaiting()))
})

self.addEventListener('activate', (event) => {
  const keep = new Set([assets, pages, calm])
  event.waitUntil(caches.keys()
    .then(names => Promise.all(names.filter(name => !keep.has(name)).map(name => caches.delete(name))))
    .then(() => self.clients.claim()))
})

/** Only the calm set's page is kept: other pages hold more than a tablet should keep. */
function isCalmPage(url) {
  return /^\/residents\/[0-9a-f-]{36}\/conversation\/calm$/i.test(url.pathname)
}

/** Network first; a copy is kept, and used when the network is gone. */
async function networkFirst(request, cacheName, key = request) {
  try {
    const response = await fetch(request)
    if (response.ok) (await caches.open(cacheName)).put(key, response.clone())
    return response
  }
  catch (error) {
    const kept = await caches.match(key, { cacheName })
    if (kept) return kept
    throw error
  }
}

/** Built files have their hash in the name: once kept, they never change. */
async function cacheFirst(request) {
  const kept = await caches.match(request, { cacheName: assets })
  if (kept) return kept
  const response = await fetch(request)
  if (response.ok) (await caches.open(assets)).put(request, response.clone())
  return response
}

function offlinePage() {
  const body = '<!doctype html><html lang="nb"><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
    + '<title>Minnespor</title><body style="font:20px/1.5 system-ui,sans-serif;margin:2rem;background:#fbf8f4;color:#211b17">'
    + '<h1>Ingen nettforbindelse</h1><p>Siden kan ikke vises uten nett. Den rolige stunden i samtalemodus virker likevel '
    + 'hvis den er åpnet på dette nettbrettet før.</p><p lang="en">No network: this page cannot be shown offline.</p></body></html>'
  return new Response(body, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } })
}

self.addEventListener('fetch', (event) => {
  const { request } = event
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== self.location.origin) return

  if (url.pathname.startsWith('/offline/calm/')) {
    event.respondWith(caches.match(request, { cacheName: calm }).then(kept => kept ?? new Response(null, { status: 404 })))
  }
  else if (request.mode === 'navigate') {
    event.respondWith(isCalmPage(url)
      ? networkFirst(request, pages, url.pathname).catch(offlinePage)
      : fetch(request).catch(offlinePage))
  }
  else if (url.pathname.startsWith('/_nuxt/')) {
    event.respondWith(cacheFirst(request))
  }
  else if (!url.pathname.startsWith('/api/') || url.pathname.startsWith('/api/_nuxt_icon')) {
    // Messages, icons and fonts the pages load: the newest, or the kept copy offline.
    event.respondWith(networkFirst(request, assets))
  }
})
