// A table wider than its .table-scroll / .scroll box says so: the box gets data-overflowing and a hint line
// (data-hint, from the body's data-scroll-hint, in the page's language); the page itself never scrolls sideways.
(function () {
  var hint = document.body.getAttribute("data-scroll-hint") || "";
  function mark() {
    document.querySelectorAll(".table-scroll, .scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("data-overflowing", "");
        box.setAttribute("data-hint", hint);
        if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
      } else {
        box.removeAttribute("data-overflowing");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
  window.addEventListener("load", mark);
})();
