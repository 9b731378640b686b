/* zhucun service worker: lets 我的驻村 open again without a signal.
 * - index.html (the navigation "/"): network first, the cached copy when the network fails;
 * - /assets/* (content-hashed file names, never change): cache first;
 * - /api/* is never cached nor touched: check-ins kept offline live in localStorage (daily.js).
 * Registered from main.js in production builds only. */
const CACHE = 'zhucun-shell-v1'
const SHELL = '/'
const MAX_ASSETS = 160

self.addEventListener('install', (event) => {
  event.waitUntil(precache().catch(() => {}).then(() => self.skipWaiting()))
})

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const k of await caches.keys()) if (k !== CACHE && k.startsWith('zhucun-')) await caches.delete(k)
    await self.clients.claim()
  })())
})

// index.html and the assets it names (entry script, vendor chunks, CSS).
async function precache() {
  const cache = await caches.open(CACHE)
  const res = await fetch(SHELL, { cache: 'no-cache', credentials: 'same-origin' })
  if (!res.ok) return
  const html = await res.clone().text()
  await cache.put(SHELL, res)
  const urls = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map(m => m[1])
  await cacheUrls(cache, [...urls, '/favicon.svg'])
}

async function cacheUrls(cache, urls) {
  for (const u of new Set(urls)) {
    try {
      if (await cache.match(u)) continue
      const r = await fetch(u, { credentials: 'same-origin' })
      if (r.ok) await cache.put(u, r)
    } catch (e) { /* offline: next time */ }
  }
}

async function trim(cache) {
  const keys = (await cache.keys()).filter(r => new URL(r.url).pathname.startsWith('/assets/'))
  for (let i = 0; i < keys.length - MAX_ASSETS; i++) await cache.delete(keys[i])
}

// The page tells which assets it has loaded (those fetched before this worker took control).
self.addEventListener('message', (event) => {
  const d = event.data || {}
  if (d.type !== 'cache-assets' || !Array.isArray(d.urls)) return
  const urls = d.urls.map(u => { try { return new URL(u, self.location.origin) } catch (e) { return null } })
    .filter(u => u && u.origin === self.location.origin && u.pathname.startsWith('/assets/')).map(u => u.pathname)
  event.waitUntil(caches.open(CACHE).then(c => cacheUrls(c, urls)).then(() => caches.open(CACHE)).then(trim))
})

self.addEventListener('fetch', (event) => {
  const req = event.request
  if (req.method !== 'GET') return
  const url = new URL(req.url)
  if (url.origin !== self.location.origin) return
  if (url.pathname.startsWith('/api/')) return // never cached
  if (req.mode === 'navigate' || url.pathname === '/' || url.pathname === '/index.html') {
    event.respondWith(networkFirst(req))
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(req))
  } else if (url.pathname === '/favicon.svg') {
    event.respondWith(cacheFirst(req))
  }
})

async function networkFirst(req) {
  const cache = await caches.open(CACHE)
  try {
    const res = await fetch(req)
    if (res.ok && (res.headers.get('Content-Type') || '').startsWith('text/html')) await cache.put(SHELL, res.clone())
    return res
  } catch (e) {
    const hit = await cache.match(SHELL)
    if (hit) return hit
    throw e
  }
}

async function cacheFirst(req) {
  const cache = await caches.open(CACHE)
  const hit = await cache.match(req, { ignoreSearch: true })
  if (hit) return hit
  const res = await fetch(req)
  if (res.ok) { await cache.put(req, res.clone()); trim(cache) }
  return res
}
