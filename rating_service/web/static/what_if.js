// The what-if form: the weights' total as you type (the output's data-ok / data-bad hold the words, with {total}),
// and rows added to or removed from each scoring curve's table. Without script the page shows the rows it has and
// two spare blank ones, and the server checks everything again.
(function () {
  var form = document.getElementById("what-if-form");
  if (!form) { return; }
  var output = document.getElementById("weight-total");
  var weights = form.querySelectorAll("input[data-weight]");

  function total() {
    var sum = 0, ok = true;
    weights.forEach(function (input) {
      var text = input.value.replace("%", "").replace("，", ".").trim();
      var value = text === "" ? NaN : Number(text);
      if (isNaN(value)) { ok = false; } else { sum += value; }
    });
    var shown = Math.round(sum * 100) / 100;
    var good = ok && Math.abs(sum - 100) < 1e-9;
    var words = output.getAttribute(good ? "data-ok" : "data-bad");
    output.textContent = words.replace("{total}", ok ? String(shown) : "?");
    output.classList.toggle("bad", !good);
    output.classList.toggle("good", good);
  }
  if (output) {
    weights.forEach(function (input) { input.addEventListener("input", total); });
    total();
  }

  function renumber(table) {
    var rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      rows[i].querySelectorAll("input").forEach(function (input) {
        input.setAttribute("aria-label", input.getAttribute("aria-label").replace(/\d+$/, String(i + 1)));
      });
    }
    var add = table.parentNode.querySelector(".add-row");
    if (add) { add.disabled = rows.length >= Number(table.getAttribute("data-max") || 20); }
  }
  function wire(row, table) {
    var remove = row.querySelector(".remove-row");
    if (!remove) { return; }
    remove.hidden = false;
    remove.addEventListener("click", function () {
      if (table.tBodies[0].rows.length > 1) { row.parentNode.removeChild(row); } else {
        row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      }
      renumber(table);
    });
  }
  form.querySelectorAll("table.breakpoints").forEach(function (table) {
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) { wire(row, table); });
    var add = table.parentNode.querySelector(".add-row");
    if (!add) { return; }
    add.hidden = false;
    add.addEventListener("click", function () {
      var rows = table.tBodies[0].rows;
      var row = rows[rows.length - 1].cloneNode(true);
      row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      table.tBodies[0].appendChild(row);
      wire(row, table);
      renumber(table);
      row.querySelector("input").focus();
    });
    renumber(table);
  });
})();
