// Autosave for the check sheet. The form works without this script (保存する / 提出する post
// everything); the script saves each answer as it is chosen, keeps unsent answers in this
// browser while offline or logged out, and never overwrites an answer another tab changed:
// every cell carries the revision it was shown at, and the server refuses stale changes.
(function () {
  "use strict";
  var form = document.getElementById("sheet-form");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-autosave-url");
  var storeKey = "bansou:pending:" + form.getAttribute("data-draft");
  var status = document.getElementById("save-status");
  var pending = {};
  var inFlight = false;
  var timer = null;

  function say(text) { status.textContent = text; }
  function key(item, axis) { return item + "|" + axis; }
  function fieldset(item, axis) {
    return form.querySelector('fieldset[data-item="' + item + '"][data-axis="' + axis + '"]');
  }
  function remember() {
    try {
      if (Object.keys(pending).length) { localStorage.setItem(storeKey, JSON.stringify(pending)); }
      else { localStorage.removeItem(storeKey); }
    } catch (e) { /* private mode: the answers are still sent */ }
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)(?:__Host-)?csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function showCell(box, value, revision) {
    box.setAttribute("data-revision", String(revision));
    box.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.checked = value !== null && radio.value === String(value);
    });
    var base = box.querySelector("input[type=hidden]");
    if (base) { base.value = revision + ":" + (value === null ? "" : value); }
  }
  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
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
        message.textContent = "別の画面で先に変更されていたため、この変更は保存していません。新しい回答を表示しています。";
        return;
      }
      if (r.outcome === "invalid") { delete pending[k]; return; }
      box.setAttribute("data-revision", String(r.revision));
      var base = box.querySelector("input[type=hidden]");
      if (base) { base.value = r.revision + ":" + (r.value === null ? "" : r.value); }
      if (mine && mine.value === r.value) { delete pending[k]; }
      else if (mine) { mine.base_revision = r.revision; }  // changed again while this was sent
    });
    data.progress.forEach(function (p) {
      var out = form.ownerDocument.querySelector('[data-progress="' + p.sheet + '"]');
      if (out) { out.textContent = String(p.answered); }
    });
    remember();
    var time = new Date().toLocaleTimeString("ja-JP", { hour: "2-digit", minute: "2-digit" });
    say(conflicts ? "一部の回答は、別の画面で先に変更されていたため保存していません。印の付いた項目を確認してください。"
                  : "保存しました（" + time + "）");
  }

  function flush() {
    var edits = Object.keys(pending).map(function (k) { return pending[k]; });
    if (!edits.length || inFlight) { return; }
    if (navigator.onLine === false) {
      say("オフラインです。回答はこの端末に一時保存し、接続が戻ったら送信します。");
      return;
    }
    inFlight = true;
    say("保存中…");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ edits: edits })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) { applyResults(data); return; }
        if (data.error === "login") {
          say("ログインの有効期限が切れました。回答はこの端末に一時保存しています。別のタブでログインし直すと、自動で保存します。");
          schedule(15000);
        } else if (data.error === "submitted") {
          pending = {}; remember();
          say("このチェックはすでに提出されています。");
          window.location.assign(data.result_url);
        } else if (response.status === 403) {
          say("保存できませんでした。ページを再読み込みしてください（回答はこの端末に一時保存しています）。");
          schedule(15000);
        } else {
          say("保存できませんでした。しばらくしてから自動でもう一度送信します。");
          schedule(15000);
        }
      });
    }).catch(function () {
      say("接続できません。回答はこの端末に一時保存し、接続が戻ったら送信します。");
      schedule(15000);
    }).then(function () {
      inFlight = false;
      if (Object.keys(pending).length && status.textContent.indexOf("保存しました") === 0) { schedule(0); }
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
  form.addEventListener("submit", function () {
    // The form posts every answer with the revision it was shown at; nothing needs keeping here.
    pending = {}; remember();
  });
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
  if (Object.keys(pending).length) {
    say("前回送信できなかった回答を送信しています…");
    schedule(0);
  }
})();
