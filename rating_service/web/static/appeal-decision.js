// The appeal decision form, enhanced: the amendment fields show only for "amend", and a missing choice is said
// in the page's words (data-missing) instead of the browser's. Without JavaScript the form works the same.
(function () {
  var form = document.getElementById("decision-form");
  if (!form) return;
  function sync(name) {
    var box = form.querySelector('fieldset.amend-fields[data-for="' + name + '"]');
    if (!box) return;
    var chosen = form.querySelector('input[type=radio][name="' + name + '"]:checked');
    box.hidden = !(chosen && chosen.value === "amend");
  }
  form.querySelectorAll("fieldset.amend-fields").forEach(function (box) { sync(box.getAttribute("data-for")); });
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type === "radio") {
      form.querySelectorAll('input[name="' + input.name + '"]').forEach(function (r) { r.setCustomValidity(""); });
      sync(input.name);
    }
  });
  form.addEventListener("input", function (event) { event.target.setCustomValidity(""); });
  form.querySelectorAll("[data-missing]").forEach(function (input) {
    input.addEventListener("invalid", function () {
      if (input.validity.valueMissing) input.setCustomValidity(input.getAttribute("data-missing"));
    });
  });
})();
