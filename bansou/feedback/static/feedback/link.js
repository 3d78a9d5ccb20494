// A feedback link is /f/#CODE: the part after "#" never reaches the server, so no access log holds the
// code. Take it out of the address bar at once, put it in the form and send it (a POST body is not logged).
// A link pasted into a tab already on /f/ only changes the "#" part (no new page): sent the same way, even
// on the page that said a code was mistyped (the address of that page has no "#" part, so nothing loops).
(function () {
  "use strict";
  function send() {
    var code = window.location.hash.replace(/^#/, "");
    if (!code) {
      return;
    }
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", window.location.pathname);
    }
    var form = document.getElementById("feedback-code-form");
    var field = document.getElementById("id_code");
    if (!form || !field) {
      return;
    }
    try {
      code = decodeURIComponent(code);
    } catch (broken) {
      // a "%" that escapes nothing: sent as it is (the server refuses it like any mistyped code)
    }
    field.value = code.slice(0, 64);
    form.submit();
  }
  window.addEventListener("hashchange", send);
  send();
})();
