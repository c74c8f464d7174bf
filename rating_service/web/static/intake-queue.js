// The review queue from the keyboard: j / k move between rows, x ticks the row's checkbox, Enter opens the item.
// The shortcut line (written by the page in its language, #queue-shortcuts) shows only when this script runs;
// without script the table, its checkboxes and links work as they are.
(function () {
  var table = document.getElementById("queue-table");
  if (!table) { return; }
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-item-url]"));
  if (!rows.length) { return; }
  var line = document.getElementById(table.getAttribute("data-shortcuts"));
  if (line) { line.hidden = false; }
  rows.forEach(function (row) {
    row.setAttribute("tabindex", "-1");
    row.addEventListener("focus", function () { row.classList.add("focused"); });
    row.addEventListener("blur", function () { row.classList.remove("focused"); });
  });
  function current() {
    var active = document.activeElement;
    for (var i = 0; i < rows.length; i += 1) {
      if (rows[i] === active || rows[i].contains(active)) { return i; }
    }
    return -1;
  }
  function move(step) {
    var i = current();
    var next = i < 0 ? 0 : Math.min(Math.max(i + step, 0), rows.length - 1);
    rows[next].focus();
    if (rows[next].scrollIntoView) { rows[next].scrollIntoView({ block: "nearest" }); }
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    // Typing in the search box or a select never triggers a shortcut.
    if (tag === "input" && target.type !== "checkbox" || tag === "select" || tag === "textarea" ||
        (target && target.isContentEditable)) { return; }
    var key = event.key;
    if (key === "j") { event.preventDefault(); move(1); return; }
    if (key === "k") { event.preventDefault(); move(-1); return; }
    var i = current();
    if (i < 0) { return; }
    if (key === "x") {
      var box = rows[i].querySelector("input[type=checkbox]");
      if (box) { event.preventDefault(); box.checked = !box.checked; }
    } else if (key === "Enter" && (target === rows[i] || tag === "input")) {
      event.preventDefault();
      window.location.href = rows[i].getAttribute("data-item-url");
    }
  });
})();
