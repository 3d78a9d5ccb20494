// A feedback link is /f/#CODE: the part after "#" never reaches the server, so no access log holds the
// code. Take it out of the address bar at once, put it in the form and send it (a POST body is not logged).
(function () {
  "use strict";
  var code = window.location.hash.replace(/^#/, "");
  if (!code) {
    return;
  }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  var form = document.getElementById("feedback-code-form");
  var field = document.getElementById("id_code");
  if (!form || !field || document.querySelector("[role=alert]")) {
    return;
  }
  field.value = decodeURIComponent(code).slice(0, 64);
  form.submit();
})();
