/* Min SIP: copies kept on the phone for reading offline (the plan, the contact map), and removing
   them all when the person logs out. Only an improvement: every page works without this file, and the
   "Save on this phone" button is shown only where a service worker can serve the copy offline. */
(function () {
  'use strict';

  var SAVED_CACHE = 'minsip-saved-v1';
  var SAVED_PREFIX = 'minsip-saved-';

  function clearSaved() {
    if (!('caches' in window)) { return Promise.resolve(); }
    return caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key.indexOf(SAVED_PREFIX) === 0; })
        .map(function (key) { return caches.delete(key); }));
    }).catch(function () { /* nothing stored, or storage refused: nothing to remove */ });
  }

  /* Logging out removes every saved copy from this phone before the form is sent. */
  document.querySelectorAll('form[action$="/logout"]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (form.getAttribute('data-cleared')) { return; }
      event.preventDefault();
      var sent = false;
      var send = function () {
        if (sent) { return; }
        sent = true;
        form.setAttribute('data-cleared', 'true');
        form.submit();
      };
      clearSaved().then(send, send);
      window.setTimeout(send, 2000); /* never keep the person from logging out */
    });
  });

  /* The page after logging out removes them too (in case the form was sent without this script). */
  if (window.location.hash === '#signed-out') {
    clearSaved();
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
    }
  }

  var box = document.querySelector('[data-save-offline]');
  if (!box || !('serviceWorker' in navigator) || !('caches' in window) || !window.isSecureContext) { return; }
  var button = box.querySelector('[data-save-button]');
  var status = box.querySelector('[data-save-status]');

  function say(text) {
    status.textContent = '';
    status.textContent = text;
  }

  box.hidden = false;
  button.addEventListener('click', function () {
    button.disabled = true;
    fetch(box.getAttribute('data-copy-url'), { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error('not saved'); }
        return caches.open(SAVED_CACHE).then(function (cache) {
          /* Stored under the page's own address: the service worker finds it there when offline. */
          return cache.put(new Request(box.getAttribute('data-page-url')), response);
        });
      })
      .then(function () { say(status.getAttribute('data-saved')); },
            function () { say(status.getAttribute('data-failed')); })
      .then(function () { button.disabled = false; });
  });
})();
