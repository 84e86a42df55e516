/* Min SIP: copy or share an invitation link. Only an improvement: the link, the QR code and the
   e-mail and text-message links work without this file. */
(function () {
  'use strict';

  var status = document.querySelector('[data-copy-status]');

  function say(message) {
    if (status) { status.textContent = ''; status.textContent = message; }
  }

  document.querySelectorAll('[data-copy]').forEach(function (button) {
    var field = document.querySelector(button.getAttribute('data-copy'));
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(field.value).then(function () {
        say(button.getAttribute('data-copied'));
      }, function () {
        field.select(); /* copying was refused: select it so the person can copy it themselves */
      });
    });
  });

  document.querySelectorAll('[data-share-text]').forEach(function (button) {
    if (!navigator.share) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.share({
        title: button.getAttribute('data-share-title'),
        text: button.getAttribute('data-share-text')
      }).catch(function () { /* the person closed the share sheet */ });
    });
  });
})();
