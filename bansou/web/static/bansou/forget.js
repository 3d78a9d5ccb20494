// After logout on a shared terminal: forget answers this browser kept while offline.
(function () {
  "use strict";
  try {
    Object.keys(window.localStorage)
      .filter(function (key) { return key.indexOf("bansou:") === 0; })
      .forEach(function (key) { window.localStorage.removeItem(key); });
  } catch (e) { /* storage unavailable: nothing kept */ }
})();
