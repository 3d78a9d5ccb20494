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
  var storeKey = "bansou:pending:" + form.getAttribute("data-draft");
  var isVisitor = form.getAttribute("data-visitor") === "1";
  var status = document.getElementById("save-status");
  var announce = document.getElementById("save-announce");
  var pending = {};
  var inFlight = false;
  var stopped = false;   // the draft is gone: nothing more can be saved from this page
  var timer = null;      // the next send, if one is planned
  var RETRY_MS = 15000;

  // Quiet progress goes to the visible status line; problems are also announced.
  function show(text) { status.textContent = text; }
  function warn(text) { status.textContent = text; announce.textContent = text; }
  function key(item, axis) { return item + "|" + axis; }
  function fieldset(item, axis) {
    return form.querySelector('fieldset[data-item="' + item + '"][data-axis="' + axis + '"]');
  }
  function remember() {
    try {
      if (Object.keys(pending).length) { localStorage.setItem(storeKey, JSON.stringify(pending)); }
      else { localStorage.removeItem(storeKey); }
    } catch (e) { /* storage unavailable (private mode): the answers are still sent */ }
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

  function applyResults(data) {
    var conflicts = 0;
    data.results.forEach(function (r) {
      var box = fieldset(r.item, r.axis);
      var k = key(r.item, r.axis);
      var mine = pending[k];
      if (!box) { delete pending[k]; return; }
      var message = box.querySelector("[data-cell-message]");
      if (r.outcome === "conflict") {
        conflicts += 1;
        delete pending[k];
        showCell(box, r.value, r.revision);
        box.classList.add("axis-conflict");
        message.textContent = texts.cell_conflict;
        return;
      }
      if (r.outcome === "invalid") { delete pending[k]; return; }
      setBase(box, r.value, r.revision);
      if (mine && mine.value === r.value) { delete pending[k]; }
      else if (mine) { mine.base_revision = r.revision; }  // changed again while this was sent
    });
    data.progress.forEach(function (p) {
      var out = document.querySelector('[data-progress="' + p.sheet + '"]');
      if (out) { out.textContent = String(p.answered); }
    });
    remember();
    if (conflicts) { warn(texts.conflicts); return; }
    var time = new Date().toLocaleTimeString("ja-JP", { hour: "2-digit", minute: "2-digit" });
    show(texts.saved.replace("%(time)s", time));
  }

  function onFailure(response, data) {
    if (data.error === "login") {
      warn(isVisitor ? texts.visitor_expired : texts.login_expired);
      schedule(RETRY_MS);
    } else if (data.error === "submitted") {
      stopped = true;
      pending = {}; remember();
      warn(texts.submitted);
      window.location.assign(data.result_url);
    } else if (data.error === "gone") {
      stopped = true;
      warn(texts.gone);
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
        if (response.ok) { applyResults(data); } else { onFailure(response, data); }
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
    var box = radio.closest("fieldset[data-item]");
    var item = box.getAttribute("data-item"), axis = box.getAttribute("data-axis");
    var k = key(item, axis);
    var base = pending[k] ? pending[k].base_revision : parseInt(box.getAttribute("data-revision"), 10);
    pending[k] = { item: item, axis: axis, value: parseInt(radio.value, 10), base_revision: base };
    box.classList.remove("axis-conflict");
    box.querySelector("[data-cell-message]").textContent = "";
    remember();
    schedule(300);
  });
  // Submitting posts every answer with the revision it was shown at. Unsent answers stay kept
  // here until the result page (which clears them) confirms the submission arrived.
  window.addEventListener("online", function () { schedule(0); });

  // Answers kept from an earlier visit (offline, logged out, tab closed before sending).
  try {
    var kept = JSON.parse(localStorage.getItem(storeKey) || "{}");
    Object.keys(kept).forEach(function (k) {
      var edit = kept[k];
      var box = fieldset(edit.item, edit.axis);
      if (!box) { return; }
      pending[k] = edit;
      box.querySelectorAll("input[type=radio]").forEach(function (radio) {
        radio.checked = radio.value === String(edit.value);
      });
    });
  } catch (e) { pending = {}; }
  // Answers chosen before this script ran (a quick click on a slow line), or restored by the
  // browser on Back: the checked radio differs from what the page was rendered with.
  form.querySelectorAll("fieldset[data-item]").forEach(function (box) {
    var item = box.getAttribute("data-item"), axis = box.getAttribute("data-axis");
    var checked = box.querySelector("input[type=radio]:checked");
    var base = (box.querySelector("input[type=hidden]").value || "").split(":");
    if (!checked || checked.value === base[1] || pending[key(item, axis)]) { return; }
    pending[key(item, axis)] = {
      item: item, axis: axis, value: parseInt(checked.value, 10), base_revision: parseInt(base[0], 10)
    };
  });
  remember();
  if (Object.keys(pending).length) {
    show(texts.resending);
    schedule(0);
  }
})();
