/* Min SIP: the print view's "Print" button. Without JavaScript the browser's own print command works. */
(function () {
  'use strict';
  var button = document.querySelector('[data-print]');
  if (!button || typeof window.print !== 'function') { return; }
  button.hidden = false;
  button.addEventListener('click', function () { window.print(); });
})();
