// A form marked data-busy takes a while to answer (a validation report, a what-if): on submit its submit buttons
// are disabled and its .busy-note (「正在计算，请稍候…」, written by the page in its language) shows. Without
// script the form simply submits. Coming back with the browser's Back button gives the form back as it was.
(function () {
  function reset(form) {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    form.querySelectorAll(".busy-note").forEach(function (n) { n.hidden = true; });
    form.removeAttribute("aria-busy");
  }
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }
      form.setAttribute("aria-busy", "true");
      form.querySelectorAll(".busy-note").forEach(function (n) { n.hidden = false; });
      // Disabled after the submit event has run, so the browser still sends the form.
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-busy]").forEach(reset);
  });
})();
