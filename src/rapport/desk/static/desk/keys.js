// Keyboard shortcuts of the desk: j/k move in a queue, Enter/o open, x select,
// r reply, n note, / search, g q back to the queue, ? help. No framework.
(function () {
  "use strict";
  var help = document.getElementById("keys-help");
  var pendingG = false;

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr[data-row]")); }
  function current() { return document.querySelector("tr[data-row].is-current"); }

  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    var index = all.indexOf(current());
    var next = all[Math.max(0, Math.min(all.length - 1, index < 0 ? 0 : index + step))];
    all.forEach(function (row) { row.classList.remove("is-current"); row.removeAttribute("aria-current"); });
    next.classList.add("is-current");
    next.setAttribute("aria-current", "true");
    var link = next.querySelector("a[data-open]");
    if (link) { link.focus({ preventScroll: true }); }
    next.scrollIntoView({ block: "nearest" });
  }

  function updateBulkCount() {
    var counter = document.querySelector("[data-bulk-count]");
    if (!counter) { return; }
    var chosen = document.querySelectorAll("input[name=tickets]:checked").length;
    counter.textContent = chosen ? chosen + " selected" : "Select tickets to change several at once";
    rows().forEach(function (row) {
      var box = row.querySelector("input[name=tickets]");
      row.classList.toggle("is-selected", !!(box && box.checked));
    });
  }

  function focusComposer(selector) {
    var box = document.querySelector(selector);
    if (box) { box.focus(); box.scrollIntoView({ block: "center" }); }
  }

  function showHelp() {
    if (help && typeof help.showModal === "function" && !help.open) { help.showModal(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    if (help && help.open) { return; }
    var key = event.key;
    if (pendingG) {
      pendingG = false;
      if (key === "q") { window.location.href = "/desk/"; event.preventDefault(); }
      return;
    }
    switch (key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "Enter":
      case "o": {
        var row = current();
        if (!row) { return; }
        window.location.href = row.getAttribute("data-href");
        break;
      }
      case "x": {
        var selected = current();
        var box = selected && selected.querySelector("input[name=tickets]");
        if (!box) { return; }
        box.checked = !box.checked;
        updateBulkCount();
        break;
      }
      case "r": focusComposer("textarea[data-reply]"); break;
      case "n": focusComposer("textarea[data-note]"); break;
      case "/": focusComposer("input[data-search]"); break;
      case "g": pendingG = true; break;
      case "?": showHelp(); break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-select-all]")) {
      document.querySelectorAll("input[name=tickets]").forEach(function (box) { box.checked = target.checked; });
    }
    if (target.name === "tickets" || (target.matches && target.matches("[data-select-all]"))) { updateBulkCount(); }
  });

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-keys-help]");
    if (opener) { showHelp(); return; }
    var row = event.target.closest && event.target.closest("tr[data-row]");
    if (row && !event.target.closest("a, input, button, label")) {
      rows().forEach(function (r) { r.classList.remove("is-current"); });
      row.classList.add("is-current");
    }
  });
})();
