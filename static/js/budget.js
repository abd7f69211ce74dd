/* Live totals of the budget table: each line's total (quantity × unit cost) and the
   table's sums, recomputed as the leader types. The server recomputes and validates
   everything on save; this only spares a round trip to see the numbers. No inline
   script: the page's Content-Security-Policy allows only files from /static/. */
(function () {
  "use strict";
  var table = document.querySelector("[data-budget-table]");
  if (!table) { return; }
  var lang = document.documentElement.lang || "kk";

  function num(input) {
    if (!input || input.value === "") { return 0; }
    var value = parseFloat(String(input.value).replace(/\s/g, "").replace(",", "."));
    return isFinite(value) ? value : 0;
  }

  // The same shape as the server's tenge filter (1 250 000 ₸, tiyn only when present):
  // Intl cannot be trusted here, Chromium builds differ in their Kazakh locale data.
  var english = lang.indexOf("en") === 0;
  var group = english ? "," : "\u00a0";
  var decimal = english ? "." : ",";

  function money(value) {
    var cents = Math.round(Math.abs(value) * 100);
    var whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, group);
    var rest = cents % 100;
    var text = (value < 0 ? "\u2212" : "") + whole;
    if (rest) { text += decimal + (rest < 10 ? "0" : "") + rest; }
    return text + "\u00a0\u20b8";
  }

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }

  function recompute() {
    var sumTotal = 0, sumCofunding = 0;
    table.querySelectorAll("[data-budget-row]").forEach(function (row) {
      var deleted = field(row, "DELETE");
      var total = Math.round(num(field(row, "quantity")) * num(field(row, "unit_cost")) * 100) / 100;
      var cofunding = num(field(row, "cofunding"));
      var out = row.querySelector("[data-line-total]");
      if (out) { out.textContent = money(total); }
      if (deleted && deleted.checked) { row.classList.add("text-decoration-line-through"); return; }
      row.classList.remove("text-decoration-line-through");
      sumTotal += total;
      sumCofunding += cofunding;
    });
    var t = table.querySelector("[data-sum='total']");
    var c = table.querySelector("[data-sum='cofunding']");
    if (t) { t.textContent = money(sumTotal); }
    if (c) { c.textContent = money(sumCofunding); }
  }

  table.addEventListener("input", recompute);
  table.addEventListener("change", recompute);
})();
