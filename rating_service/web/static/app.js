// Small progressive enhancements: confirmation before consequential actions, no double submits.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  form.querySelectorAll("button[type=submit]").forEach(function (b) {
    setTimeout(function () { b.disabled = true; }, 0);
  });
});

// A submit button may name the text it shows while a slow request (an upload) runs.
document.addEventListener("submit", function (event) {
  if (event.defaultPrevented) { return; }
  event.target.querySelectorAll("button[data-busy]").forEach(function (b) {
    b.textContent = b.getAttribute("data-busy");
  });
});

// Sortable tables: click a heading to sort by that column (again to reverse). Cells may carry a
// data-key (e.g. a grade's position in the methodology) that sorts instead of their text.
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.querySelectorAll("thead th");
  heads.forEach(function (th, column) {
    th.classList.add("sort");
    th.setAttribute("tabindex", "0");
    th.setAttribute("role", "button");
    function sort() {
      var numeric = th.getAttribute("data-sort") === "num";
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      function key(row) {
        var cell = row.cells[column];
        var value = cell.hasAttribute("data-key") ? cell.getAttribute("data-key") : cell.textContent.trim();
        return numeric ? parseFloat(value) : value;
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b), order;
        if (numeric) { order = (isNaN(x) ? Infinity : x) - (isNaN(y) ? Infinity : y); }
        else { order = String(x).localeCompare(String(y), "zh-CN"); }
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
  });
});

// Background job progress: poll the job every second; reload when it ends, so the page shows the new
// results or (translated on the server) the reason it failed.
(function () {
  var box = document.getElementById("job-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-job-url");
  var pairs = JSON.parse(box.getAttribute("data-stages") || "[]");
  var order = pairs.map(function (p) { return p[0]; });
  var stages = {};
  pairs.forEach(function (p) { stages[p[0]] = p[1]; });
  var bar = box.querySelector("progress");
  var stageText = box.querySelector(".stage");
  var countText = box.querySelector(".count");
  function show(job) {
    var index = Math.max(0, order.indexOf(job.stage));
    var part = job.total > 0 ? Math.min(1, job.done / job.total) : 0;
    bar.value = Math.round(100 * (index + part) / order.length);
    stageText.textContent = stages[job.stage] || job.stage || "";
    countText.textContent = job.total > 1 ? job.done + " / " + job.total : "";
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) {
        if (job.status === "running") { show(job); setTimeout(poll, 1000); return; }
        window.location.reload();
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();

// Notices rendered in the background after publicize: poll the counts until every PDF is made.
(function () {
  var box = document.getElementById("render-progress");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var shown = document.getElementById("documents-rendered");
  function poll() {
    fetch(box.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body || !body.counts) { return; }
        var total = 0, done = 0;
        Object.keys(body.counts).forEach(function (k) {
          if (/_rendered$/.test(k)) { done += body.counts[k]; } else { total += body.counts[k]; }
        });
        bar.max = total; bar.value = done;
        if (shown) { shown.textContent = done + " / " + total; }
        if (done < total) { setTimeout(poll, 1000); } else { box.hidden = true; }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();

// "Back" on an error page goes to the previous page when there is one (the link itself leads home).
document.querySelectorAll("a[data-back]").forEach(function (link) {
  link.addEventListener("click", function (event) {
    if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
  });
});

// issue 17 — todo: the publicize form states what publicizing with the chosen notice date does (how many notices,
// until when companies may appeal), in the page and in the confirmation.
document.querySelectorAll("form[data-effects]").forEach(function (form) {
  var effects = JSON.parse(form.getAttribute("data-effects") || "{}");
  var input = form.querySelector("input[name=notice_date]");
  var shown = form.querySelector(".effect");
  if (!input) { return; }
  input.addEventListener("change", function () {
    var effect = effects[input.value] || "";
    if (shown) { shown.textContent = effect; }
    form.setAttribute("data-confirm", effect + "\n" + (form.getAttribute("data-question") || ""));
  });
});
