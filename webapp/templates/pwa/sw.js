/* Min SIP service worker. Generated per release: VERSION changes whenever a static asset does. */
'use strict';
const VERSION = {{ version|tojson }};
const STATIC_CACHE = 'minsip-static-' + VERSION;
const PRECACHE = {{ precache|tojson }};
const OFFLINE_PAGES = {{ offline|tojson }};
const DEFAULT_LANGUAGE = {{ default_language|tojson }};
const LANGUAGE_KEY = '/__minsip/language';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then((cache) => cache.addAll(PRECACHE.concat(Object.values(OFFLINE_PAGES))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((key) => key.startsWith('minsip-static-') && key !== STATIC_CACHE)
        .map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

/* The page tells the worker its language, so that the offline page is shown in the same one. */
self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'language' && Object.prototype.hasOwnProperty.call(OFFLINE_PAGES, data.language)) {
    event.waitUntil(caches.open(STATIC_CACHE)
      .then((cache) => cache.put(LANGUAGE_KEY, new Response(data.language))));
  }
});

async function offlinePage() {
  const cache = await caches.open(STATIC_CACHE);
  const stored = await cache.match(LANGUAGE_KEY);
  const language = stored ? await stored.text() : DEFAULT_LANGUAGE;
  return (await cache.match(OFFLINE_PAGES[language] || OFFLINE_PAGES[DEFAULT_LANGUAGE]))
    || new Response('Offline', { status: 503, headers: { 'Content-Type': 'text/plain' } });
}

/* ---- Copies saved on the phone (issue 6) -------------------------------------------------------
   The person keeps the plan and the contact map for reading offline: the page (static/js/saved.js)
   stores a copy, dated and without forms, under the page's own address in a cache of its own. Nothing
   else behind the login is ever stored. Logging out removes every saved copy. */
const SAVED_CACHE = 'minsip-saved-v1';
const SAVED_PREFIX = 'minsip-saved-';

async function clearSaved() {
  const keys = await caches.keys();
  await Promise.all(keys.filter((key) => key.startsWith(SAVED_PREFIX)).map((key) => caches.delete(key)));
}

async function savedCopy(request) {
  /* caches.match with a cacheName never creates the cache, so nothing is left behind after logout. */
  return caches.match(request, { cacheName: SAVED_CACHE, ignoreSearch: true, ignoreVary: true });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === '/logout') {
    /* The form is sent as usual; the saved copies go at the same time, even without the page's script. */
    event.waitUntil(clearSaved());
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate') {
    /* Network first; offline, the copy the person saved on this phone, or the offline page. */
    event.respondWith(fetch(request).catch(async () => (await savedCopy(request)) || offlinePage()));
    return;
  }
  if (url.pathname.startsWith('/static/')) {
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request))
    );
  }
});

/* ---- Web push (notifications) ------------------------------------------------------------------
   A push carries only generic words, the page to open, and its language and direction; the page
   shows the details after login. */
const PUSH_PUBLIC_KEY = {{ (push_public_key() if push_public_key is defined else "")|tojson }};
const PUSH_RENEW_URL = '/notifications/push/renew';
/* Kept apart from the static cache, which a new release replaces. */
const PUSH_CACHE = 'minsip-push';
const PUSH_SUBSCRIPTION_KEY = '/__minsip/push-subscription';
const PUSH_ICON = '/static/icons/icon-192.png';

/* Only a page of this site may be opened from a notification. */
function samePath(url) {
  try {
    const target = new URL(url || '/', self.location.origin);
    return target.origin === self.location.origin ? target.href : self.location.origin + '/';
  } catch (error) {
    return self.location.origin + '/';
  }
}

self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {};
  }
  const options = {
    body: message.body || '',
    lang: message.lang || DEFAULT_LANGUAGE,
    dir: message.dir || 'auto',
    icon: message.icon || PUSH_ICON,
    badge: PUSH_ICON,
    data: { url: samePath(message.url) }
  };
  if (message.tag) {
    options.tag = message.tag;     /* a newer message about the same thing replaces the older one */
    options.renotify = true;
  }
  event.waitUntil(self.registration.showNotification(message.title || 'Min SIP', options));
});

async function openPage(url) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const exact = windows.find((client) => client.url === url);
  if (exact) {
    return exact.focus();
  }
  const ours = windows.find((client) => new URL(client.url).origin === self.location.origin && 'navigate' in client);
  if (ours) {
    try {
      const navigated = await ours.navigate(url);
      if (navigated) {
        return navigated.focus().catch(() => navigated);
      }
    } catch (error) { /* not controlled by this worker: open a new window instead */ }
  }
  return self.clients.openWindow(url);
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openPage(samePath(event.notification.data && event.notification.data.url)));
});

function keyBytes(key) {
  const base64 = (key + '='.repeat((4 - key.length % 4) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

async function rememberedSubscription() {
  const cache = await caches.open(PUSH_CACHE);
  const stored = await cache.match(PUSH_SUBSCRIPTION_KEY);
  return stored ? stored.json() : null;
}

async function rememberSubscription(subscription) {
  const cache = await caches.open(PUSH_CACHE);
  if (subscription) {
    await cache.put(PUSH_SUBSCRIPTION_KEY, new Response(JSON.stringify(subscription)));
  } else {
    await cache.delete(PUSH_SUBSCRIPTION_KEY);
  }
}

/* The push service replaced the subscription: subscribe again and tell the server, proving it is
   this browser with the old subscription's secret (the session may have ended long ago). */
async function renewSubscription(oldSubscription, newSubscription) {
  if (!PUSH_PUBLIC_KEY) {
    return;
  }
  const previous = oldSubscription ? oldSubscription.toJSON() : await rememberedSubscription();
  const fresh = newSubscription || await self.registration.pushManager.subscribe({
    userVisibleOnly: true, applicationServerKey: keyBytes(PUSH_PUBLIC_KEY)
  });
  const body = {
    old: previous ? { endpoint: previous.endpoint, auth: previous.keys && previous.keys.auth } : null,
    subscription: fresh.toJSON()
  };
  const response = await fetch(PUSH_RENEW_URL, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
  });
  if (response.ok) {
    await rememberSubscription(fresh.toJSON());
  }
}

self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(renewSubscription(event.oldSubscription, event.newSubscription));
});

/* The settings page tells the worker the current subscription (or that there is none). */
self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'push-subscription') {
    event.waitUntil(rememberSubscription(data.subscription || null));
  }
});
