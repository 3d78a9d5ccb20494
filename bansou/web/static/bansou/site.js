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
  // Answers this browser kept while they could not be sent, under keys tagged with whose session
  // kept them (bansou/accounts/context_processors.py): forget them once the check they belong to was
  // submitted (the result page names its draft), on logout, and whenever a page belongs to another
  // person or to no session at all (it ended or idled out: a shared terminal, the next person).
  try {
    var owner = document.body.getAttribute("data-kept-answers-owner");
    var mine = "bansou:pending:" + (owner || "") + ":";
    var forgetAll = document.querySelector("[data-forget-kept-answers='all']");
    var draft = document.querySelector("[data-forget-kept-answers-of]");
    Object.keys(window.localStorage).forEach(function (key) {
      if (key.indexOf("bansou:") !== 0) { return; }
      var foreign = owner !== null && (!owner || key.indexOf(mine) !== 0);
      if (forgetAll || foreign || (draft && key === mine + draft.getAttribute("data-forget-kept-answers-of"))) {
        window.localStorage.removeItem(key);
      }
    });
  } catch (e) { /* storage unavailable: nothing was kept */ }
  // A signed-in page left alone for as long as its session may idle loads itself again (a GET, never
  // a form sent again): once the session has ended, the login page, which says why, takes the place
  // of whatever this page showed (a shared terminal). Autosave's requests count as activity.
  var idleSeconds = parseInt(document.body.getAttribute("data-session-idle-seconds") || "", 10);
  if (idleSeconds > 0) {
    var idleTimer = null;
    var restartIdle = function () {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(function () {
        window.location.assign(window.location.href.split("#")[0]);
      }, (idleSeconds + 5) * 1000);
    };
    document.addEventListener("bansou:activity", restartIdle);
    restartIdle();
  }
  // A 団体コード box names the 市町村 it holds (written by the server); once the code is typed over,
  // that name no longer holds, so hide it until the page comes back with the new one.
  Array.prototype.forEach.call(document.querySelectorAll("[data-municipality-code]"), function (box) {
    var chosen = document.getElementById(box.id + "_chosen");
    if (!chosen) { return; }
    box.addEventListener("input", function () {
      chosen.hidden = box.value.replace(/\s/g, "") !== chosen.getAttribute("data-municipality-chosen");
    });
  });
  // Copy buttons beside a readonly link or code (web/_copy_field.html): shown only when this runs;
  // without it the text stays there to select. The result is said in the field's live status line.
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy") + "-status");
    if (!input || !status) { return; }
    function said(ok) { status.textContent = button.getAttribute(ok ? "data-copied" : "data-copy-failed"); }
    function bySelection() {
      input.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      button.focus();
      return ok;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "";
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(input.value).then(function () { said(true); }, function () { said(bySelection()); });
      } else {
        said(bySelection());
      }
    });
  });
})();
