/* The portal's own script, the only one besides the vendored libraries: the
   Content-Security-Policy allows no inline script, handler or style attribute.
   Progress bars carry their width in data-width (a percentage) and get it here,
   also when htmx swaps new content in. */
(function () {
  "use strict";
  function widths(root) {
    var nodes = (root.querySelectorAll ? root : document).querySelectorAll("[data-width]");
    if (root.matches && root.matches("[data-width]")) { nodes = [root].concat(Array.prototype.slice.call(nodes)); }
    Array.prototype.forEach.call(nodes, function (el) {
      var value = parseFloat(el.getAttribute("data-width"));
      if (!isNaN(value)) { el.style.width = Math.max(0, Math.min(100, value)) + "%"; }
    });
  }
  if (window.htmx) {
    window.htmx.onLoad(widths);
  } else {
    document.addEventListener("DOMContentLoaded", function () { widths(document); });
  }
})();

/* A button or link with data-print prints the page (no inline onclick under the CSP). */
document.addEventListener("click", function (event) {
  var target = event.target.closest ? event.target.closest("[data-print]") : null;
  if (target) {
    event.preventDefault();
    window.print();
  }
});
