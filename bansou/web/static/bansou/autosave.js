// Autosave for the check sheet. The form works without this script (保存する / 提出する post
// every answer); the script saves each answer as it is chosen, keeps unsent answers in this
// browser while offline or logged out, and never overwrites an answer another tab changed:
// every cell carries the revision it was shown at, and the server refuses stale changes.
// Texts come from the page (translated on the server), in #autosave-messages.
(function () {
  "use strict";
  var form = document.getElementById("sheet-form");
  var textsNode = document.getElementById("autosave-messages");
  if (!form || !textsNode || !window.fetch || !window.JSON) { return; }
  var texts = JSON.parse(textsNode.textContent);
  var url = form.getAttribute("data-autosave-url");
  // Tagged with whose session keeps them: site.js forgets them on a page of anyone else.
  var owner = document.body.getAttribute("data-kept-answers-owner") || "";
  var storeKey = "bansou:pending:" + owner + ":" + form.getAttribute("data-draft");
  var isVisitor = form.getAttribute("data-visitor") === "1";
  var status = document.getElementById("save-status");
  var missingSummary = document.querySelector("[data-missing-summary]");
  var announce = document.getElementById("save-announce");
  var pending = {};
  var inFlight = false;
  var stopped = false;   // nothing more can be saved from this page (draft gone, visitor expired)
  var stopText = "";
  var timer = null;      // the next send, if one is planned
  var RETRY_MS = 15000;

  // Quiet progress goes to the visible status line; problems are also announced.
  function show(text) { status.textContent = text; }
  function warn(text) { status.textContent = text; announce.textContent = text; }
  function key(item, axis) { return item + "|" + axis; }
  function fieldset(item, axis) {
    return form.querySelector('fieldset[data-item="' + item + '"][data-axis="' + axis + '"]');
  }
  // Kept answers are shared by every tab of this draft: each change reads, merges and writes
  // one cell, so one tab never drops what another tab still has to send.
  function readKept() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}") || {}; } catch (e) { return {}; }
  }
  function writeKept(kept) {
    try {
      if (Object.keys(kept).length) { localStorage.setItem(storeKey, JSON.stringify(kept)); }
      else { localStorage.removeItem(storeKey); }
    } catch (e) { /* storage unavailable (private mode): the answers are still sent */ }
  }
  function keep(k, edit) {
    var kept = readKept();
    kept[k] = edit;
    writeKept(kept);
  }
  function forget(k, value) {  // only if what is kept is the value just settled
    var kept = readKept();
    if (kept[k] && (value === undefined || kept[k].value === value)) { delete kept[k]; writeKept(kept); }
  }
  function forgetAll() {
    try { localStorage.removeItem(storeKey); } catch (e) { /* nothing kept */ }
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)(?:__Host-)?csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function setBase(box, value, revision) {
    box.setAttribute("data-revision", String(revision));
    var base = box.querySelector("input[type=hidden]");
    if (base) { base.value = revision + ":" + (value === null ? "" : value); }
  }
  function showCell(box, value, revision) {
    setBase(box, value, revision);
    box.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.checked = value !== null && radio.value === String(value);
    });
  }
  function schedule(delay) {
    if (stopped) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () { timer = null; flush(); }, delay);
  }

  // The list of unanswered items (shown after 提出する) follows the answers as they are saved:
  // items answered since leave the list and lose their mark; once none is left, the list goes.
  function updateMissing(missing) {
    var still = {};
    missing.forEach(function (code) { still[code] = true; });
    form.querySelectorAll(".item-missing").forEach(function (row) {
      if (still[row.id.replace(/^item-/, "")]) { return; }
      row.classList.remove("item-missing");
      var note = row.querySelector("[data-missing-note]");
      if (note) { note.parentNode.removeChild(note); }
    });
    if (!missingSummary) { return; }
    var left = 0;
    missingSummary.querySelectorAll("[data-missing-item]").forEach(function (entry) {
      if (still[entry.getAttribute("data-missing-item")]) { left += 1; }
      else { entry.parentNode.removeChild(entry); }
    });
    var count = missingSummary.querySelector("[data-missing-count]");
    if (count) { count.textContent = String(left); }
    if (!left) {
      var done = document.createElement("p");
      done.className = "callout";
      done.textContent = texts.all_answered;
      missingSummary.parentNode.replaceChild(done, missingSummary);
      missingSummary = null;
      announce.textContent = texts.all_answered;
    }
  }

  function applyResults(data) {
    var conflicts = 0;
    data.results.forEach(function (r) {
      var box = fieldset(r.item, r.axis);
      var k = key(r.item, r.axis);
      var mine = pending[k];
      if (!box) { delete pending[k]; forget(k); return; }
      var message = box.querySelector("[data-cell-message]");
      if (r.outcome === "conflict") {
        conflicts += 1;
        delete pending[k];  // the newer answer stands; the person sees it and may change it again
        forget(k);
        showCell(box, r.value, r.revision);
        box.classList.add("axis-conflict");
        message.textContent = texts.cell_conflict;
        return;
      }
      if (r.outcome === "invalid") { delete pending[k]; forget(k); return; }
      setBase(box, r.value, r.revision);
      if (mine && mine.value === r.value) { delete pending[k]; forget(k, r.value); }
      else if (mine) { mine.base_revision = r.revision; keep(k, mine); }  // changed again meanwhile
    });
    data.progress.forEach(function (p) {
      var out = document.querySelector('[data-progress="' + p.sheet + '"]');
      if (out) { out.textContent = String(p.answered); }
    });
    if (data.missing) { updateMissing(data.missing); }
    if (conflicts) { warn(texts.conflicts); return; }
    var time = new Date().toLocaleTimeString("ja-JP", { hour: "2-digit", minute: "2-digit" });
    show(texts.saved.replace("%(time)s", time));
  }

  function stop(text) {
    stopped = true;
    stopText = text;
    pending = {};
    forgetAll();
    warn(text);
  }

  function onFailure(response, data, edits) {
    if (data.error === "login" && isVisitor) {
      stop(texts.visitor_expired);  // a visitor's key went with the session: nothing can succeed
    } else if (data.error === "login") {
      warn(texts.login_expired);
      schedule(RETRY_MS);
    } else if (data.error === "submitted") {
      stop(texts.submitted);
      window.location.assign(data.result_url);
    } else if (data.error === "gone") {
      stop(texts.gone);
    } else if (data.error === "bad_request") {
      edits.forEach(function (edit) {  // refused as malformed: sending it again cannot help
        var k = key(edit.item, edit.axis);
        if (pending[k] === edit) { delete pending[k]; forget(k, edit.value); }
      });
      warn(texts.failed_once);
    } else if (response.status === 403) {
      warn(texts.forbidden);
      schedule(RETRY_MS);
    } else {
      warn(texts.failed);
      schedule(RETRY_MS);
    }
  }

  function flush() {
    var edits = Object.keys(pending).map(function (k) { return pending[k]; });
    if (!edits.length || inFlight || stopped) { return; }
    if (navigator.onLine === false) {
      warn(texts.offline);
      return;  // the "online" event sends them
    }
    inFlight = true;
    show(texts.saving);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ edits: edits })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) {
          applyResults(data);
          document.dispatchEvent(new Event("bansou:activity"));  // the session's idle clock restarted
        } else { onFailure(response, data, edits); }
      });
    }).catch(function () {
      warn(texts.network);
      schedule(RETRY_MS);
    }).then(function () {
      inFlight = false;
      // Answers chosen while this was on its way go now, unless a retry is already planned.
      if (Object.keys(pending).length && timer === null) { schedule(0); }
    });
  }

  form.addEventListener("change", function (event) {
    var radio = event.target;
    if (radio.type !== "radio") { return; }
    if (stopped) { warn(stopText); return; }
    var box = radio.closest("fieldset[data-item]");
    var item = box.getAttribute("data-item"), axis = box.getAttribute("data-axis");
    var k = key(item, axis);
    var base = pending[k] ? pending[k].base_revision : parseInt(box.getAttribute("data-revision"), 10);
    pending[k] = { item: item, axis: axis, value: parseInt(radio.value, 10), base_revision: base };
    box.classList.remove("axis-conflict");
    box.querySelector("[data-cell-message]").textContent = "";
    keep(k, pending[k]);
    schedule(300);
  });
  // Submitting posts every answer with the revision it was shown at. Unsent answers stay kept
  // here until the result page (which clears them) confirms the submission arrived.
  window.addEventListener("online", function () { schedule(0); });

  // Answers chosen before this script ran (a quick click on a slow line): the checked radio
  // differs from what the page was rendered with. What the person sees now wins.
  form.querySelectorAll("fieldset[data-item]").forEach(function (box) {
    var item = box.getAttribute("data-item"), axis = box.getAttribute("data-axis");
    var checked = box.querySelector("input[type=radio]:checked");
    var base = (box.querySelector("input[type=hidden]").value || "").split(":");
    if (!checked || checked.value === base[1]) { return; }
    pending[key(item, axis)] = {
      item: item, axis: axis, value: parseInt(checked.value, 10), base_revision: parseInt(base[0], 10)
    };
  });
  // Answers kept from an earlier visit (offline, logged out, tab closed before sending).
  var kept = readKept();
  Object.keys(kept).forEach(function (k) {
    var edit = kept[k];
    var box = edit && fieldset(edit.item, edit.axis);
    if (!box || pending[k]) { return; }
    pending[k] = edit;
    box.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.checked = radio.value === String(edit.value);
    });
  });
  Object.keys(pending).forEach(function (k) { keep(k, pending[k]); });
  if (Object.keys(pending).length) {
    show(texts.resending);
    schedule(0);
  }
})();
