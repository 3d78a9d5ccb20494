// Small conveniences on every page; nothing here is needed for a page to work.
(function () {
  "use strict";
  // After a form is sent back with errors, or a message follows a redirect, move focus there
  // so that keyboard and screen-reader users start where the news is.
  var news = document.querySelector(".error-summary") || document.querySelector(".messages");
  if (news) {
    news.setAttribute("tabindex", "-1");
    news.focus();
  }
  // Answers this browser kept while they could not be sent: once the check they belong to was
  // submitted (the result page names its draft), or on logout (a shared terminal), forget them.
  try {
    var forgetAll = document.querySelector("[data-forget-kept-answers='all']");
    var draft = document.querySelector("[data-forget-kept-answers-of]");
    Object.keys(window.localStorage).forEach(function (key) {
      if (key.indexOf("bansou:") !== 0) { return; }
      if (forgetAll || (draft && key === "bansou:pending:" + draft.getAttribute("data-forget-kept-answers-of"))) {
        window.localStorage.removeItem(key);
      }
    });
  } catch (e) { /* storage unavailable: nothing was kept */ }
  // A 団体コード box names the 市町村 it holds (written by the server); once the code is typed over,
  // that name no longer holds, so hide it until the page comes back with the new one.
  Array.prototype.forEach.call(document.querySelectorAll("[data-municipality-code]"), function (box) {
    var chosen = document.getElementById(box.id + "_chosen");
    if (!chosen) { return; }
    box.addEventListener("input", function () {
      chosen.hidden = box.value.replace(/\s/g, "") !== chosen.getAttribute("data-municipality-chosen");
    });
  });
})();
