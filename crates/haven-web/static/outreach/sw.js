// The outreach app's service worker: keeps the app shell so the app starts with no
// connection. The shell is fetched from the network first (so a new release and the
// reader's language arrive when online) and from the cache when offline; the scripts and
// styles are served from the cache and refreshed in the background. API calls are never
// cached: they carry personal data (show mode's cards are kept in the device store).
// A new name when the shell's files change together, so no old script meets a new shell.
const CACHE = 'haven-outreach-v2';
const SHELL = [
  '/outreach/',
  '/outreach/app.js',
  '/outreach/store.js',
  '/outreach/outreach.css',
  '/outreach/manifest.webmanifest',
  '/outreach/icon.svg',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith('/outreach/') || url.pathname === '/outreach/team') return;
  if (event.request.mode === 'navigate' || url.pathname === '/outreach/') {
    event.respondWith(
      fetch(event.request)
        .then((res) => {
          // Only the app itself is kept, never a sign-in page the request was sent to.
          if (res.ok && !res.redirected) {
            const copy = res.clone();
            caches.open(CACHE).then((c) => c.put('/outreach/', copy));
          }
          return res;
        })
        .catch(() => caches.match('/outreach/')),
    );
    return;
  }
  event.respondWith(
    caches.match(event.request).then((hit) => {
      const fresh = fetch(event.request)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            caches.open(CACHE).then((c) => c.put(event.request, copy));
          }
          return res;
        })
        .catch(() => hit);
      return hit || fresh;
    }),
  );
});
