// The exact proposal, asked for in a second request as soon as the quick one is on screen; the page
// is then shown again with it. Without JavaScript the button does the same.
(function () {
  "use strict";
  var form = document.getElementById("exact-form");
  if (!form || !window.fetch) {
    return;
  }
  var status = document.getElementById("exact-status");
  var button = form.querySelector("button");
  function ask() {
    if (button) {
      button.disabled = true;
    }
    if (status) {
      status.textContent = status.getAttribute("data-working");
    }
    window
      .fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        window.location.reload();
      })
      .catch(function () {
        if (status) {
          status.textContent = status.getAttribute("data-failed");
        }
        if (button) {
          button.disabled = false;
        }
      });
  }
  ask();
})();
