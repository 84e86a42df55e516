/* Min SIP: turning notifications on and off on this device. Loaded only on the notification settings
   page; the browser's permission is asked only when the person presses the button, never on load. */
(function () {
  'use strict';

  var box = document.querySelector('[data-push]');
  if (!box) { return; }
  var onButton = box.querySelector('[data-push-on]');
  var offButton = box.querySelector('[data-push-off]');
  var status = box.querySelector('[data-push-status]');
  var text = box.dataset;

  function say(message) { status.textContent = message || ''; }

  function show(subscribed) {
    onButton.hidden = subscribed;
    offButton.hidden = !subscribed;
  }

  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    say(text.msgUnsupported);
    return;
  }

  /* The VAPID public key, base64url, as the bytes PushManager.subscribe wants. */
  function keyBytes(key) {
    var base64 = (key + '='.repeat((4 - key.length % 4) % 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  /* The JSON endpoints: the CSRF token travels in the X-CSRFToken header, which Flask-WTF checks. */
  function send(method, body) {
    return fetch(text.subscribeUrl, {
      method: method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': text.csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.ok) { return response; }
      return response.json().catch(function () { return {}; }).then(function (data) {
        throw new Error(data.error || text.msgFailed);
      });
    });
  }

  /* The worker keeps the current subscription, to prove a renewal (pushsubscriptionchange) later. */
  function tellWorker(registration, subscription) {
    if (registration.active) {
      registration.active.postMessage({ type: 'push-subscription', subscription: subscription ? subscription.toJSON() : null });
    }
  }

  var ready = navigator.serviceWorker.ready;
  var settled = false;

  /* The worker is registered by app.js; if it never becomes ready, say so rather than show nothing. */
  window.setTimeout(function () {
    if (!settled) { say(text.msgUnsupported); }
  }, 10000);

  ready.then(function (registration) {
    return registration.pushManager.getSubscription().then(function (subscription) {
      settled = true;
      show(Boolean(subscription));
      tellWorker(registration, subscription);
      if (!subscription && Notification.permission === 'denied') { say(text.msgDenied); }
    });
  }).catch(function () { settled = true; show(false); });

  onButton.addEventListener('click', function () {
    onButton.disabled = true;
    say(text.msgWorking);
    /* Asked here, in answer to the press of the button. */
    Promise.resolve(Notification.requestPermission()).then(function (permission) {
      if (permission === 'denied') { say(text.msgDenied); return null; }
      if (permission !== 'granted') { say(text.msgDismissed); return null; }
      return ready.then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: keyBytes(text.publicKey)
        }).then(function (subscription) {
          return send('POST', subscription.toJSON()).then(function () {
            tellWorker(registration, subscription);
            window.location.reload();  /* the page lists the device and confirms it */
          }, function (error) {
            return subscription.unsubscribe().then(function () { throw error; });
          });
        });
      });
    }).catch(function (error) {
      say(error && error.message && error.message !== text.msgFailed && error.name === 'Error' ? error.message : text.msgFailed);
    }).then(function () { onButton.disabled = false; });
  });

  offButton.addEventListener('click', function () {
    offButton.disabled = true;
    say(text.msgWorking);
    ready.then(function (registration) {
      return registration.pushManager.getSubscription().then(function (subscription) {
        if (!subscription) { return null; }
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () {
          tellWorker(registration, null);
          return send('DELETE', { endpoint: endpoint }).catch(function () { return null; });
        });
      });
    }).then(function () {
      window.location.reload();
    }, function () {
      say(text.msgFailed);
      offButton.disabled = false;
    });
  });
})();
