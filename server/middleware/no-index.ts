// Minnespor is invite-only: nothing it serves (pages, files, API answers) is
// for search engines. The header covers what a meta tag cannot (files, JSON);
// public/robots.txt asks crawlers to stay away altogether.
export default defineEventHandler((event) => {
  setResponseHeader(event, 'X-Robots-Tag', 'noindex, nofollow')
})
