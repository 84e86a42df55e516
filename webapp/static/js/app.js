/* Min SIP: progressive enhancement only. Every page works without this file. */
(function () {
  'use strict';

  /* Move focus to the error summary so that screen readers announce the problems at once. */
  var summary = document.querySelector('[data-autofocus]');
  if (summary) { summary.focus(); }

  /* The service worker: static assets and a translated offline page. */
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        if (registration.active) {
          registration.active.postMessage({ type: 'language', language: document.documentElement.lang });
        }
      })
      .catch(function () { /* no offline support in this browser: the site works as before */ });
  }
})();
