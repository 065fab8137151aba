// The reply box's macro picker: type "::" (then part of a title or shortcut) or press
// Alt+M; arrows move, Enter or Tab applies the chosen macro in one keystroke: its
// field actions run on the ticket and its text replaces what was typed. No framework.
(function () {
  "use strict";
  var picker = document.querySelector("[data-macro-picker]");
  var box = document.getElementById("reply-body");
  if (!picker || !box) { return; }
  var list = picker.querySelector(".macro-list");
  var status = picker.querySelector("[data-macro-status]");
  var form = box.form;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var start = -1;  // where the "::" began, -1 when opened with the key or button
  var timer = null;

  function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }
  function chosen() { return list.querySelector("[aria-selected=true]"); }
  function close() { list.hidden = true; list.innerHTML = ""; start = -1; box.removeAttribute("aria-activedescendant"); }

  function search(text) {
    var url = picker.dataset.search + "?q=" + encodeURIComponent(text);
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        list.innerHTML = html;
        list.hidden = false;
        var first = chosen();
        if (first) { box.setAttribute("aria-activedescendant", first.id); }
      });
  }

  function move(step) {
    var all = options();
    if (!all.length) { return; }
    var index = all.indexOf(chosen());
    var next = all[(index + step + all.length) % all.length];
    all.forEach(function (o) { o.removeAttribute("aria-selected"); });
    next.setAttribute("aria-selected", "true");
    box.setAttribute("aria-activedescendant", next.id);
    next.scrollIntoView({ block: "nearest" });
  }

  function apply(option) {
    if (!option || !option.dataset.apply) { return; }
    var body = new FormData();
    fetch(option.dataset.apply, { method: "POST", body: body, credentials: "same-origin",
                                  headers: { "X-CSRFToken": token } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.error) { status.textContent = data.error; return; }
        var end = box.selectionStart;
        var from = start >= 0 ? start : end;
        box.value = box.value.slice(0, from) + data.text + box.value.slice(end);
        var caret = from + data.text.length;
        box.setSelectionRange(caret, caret);
        status.textContent = "Inserted “" + data.title + "”" +
          (data.actions ? " and applied its " + data.actions + " field change(s)." : ".");
        close();
        box.focus();
      });
  }

  box.addEventListener("input", function () {
    var before = box.value.slice(0, box.selectionStart);
    var match = /(?:^|\s)::([\w-]*)$/.exec(before);
    if (!match) { if (start >= 0) { close(); } return; }
    start = before.length - match[1].length - 2;
    clearTimeout(timer);
    timer = setTimeout(function () { search(match[1]); }, 120);
  });

  box.addEventListener("keydown", function (e) {
    if (e.altKey && (e.key === "m" || e.key === "M" || e.key === "µ")) {
      e.preventDefault();
      start = -1;
      search("");
      return;
    }
    if (list.hidden) { return; }
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Enter" || e.key === "Tab") { e.preventDefault(); apply(chosen()); }
    else if (e.key === "Escape") { e.preventDefault(); close(); }
  });

  list.addEventListener("mousedown", function (e) {
    var option = e.target.closest("[role=option]");
    if (option) { e.preventDefault(); apply(option); }
  });
  picker.querySelector("[data-macro-open]").addEventListener("click", function () {
    start = -1;
    search("");
    box.focus();
  });
})();
