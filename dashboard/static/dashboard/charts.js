/* Dashboard charts: data comes from json_script blocks; every chart has a table
   under it with the same figures, so the page reads without JavaScript too. */
(function () {
  "use strict";
  var dataEl = document.getElementById("dashboard-data");
  if (!dataEl || !window.Chart) { return; }
  var data = JSON.parse(dataEl.textContent);
  var names = JSON.parse(document.getElementById("dashboard-labels").textContent);
  var colours = { allocated: "#6c757d", contracted: "#0d6efd", paid: "#198754", spent: "#fd7e14", count: "#6f42c1" };
  var lang = document.documentElement.lang === "en" ? "en-GB" : "ru-RU";
  var money = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });

  function nums(list) { return list.map(Number); }
  function series(block, keys) {
    return keys.map(function (key) {
      return { label: names[key], data: nums(block[key]), backgroundColor: colours[key], borderColor: colours[key] };
    });
  }
  function draw(name, type, labels, datasets, opts) {
    var canvas = document.querySelector('canvas[data-chart="' + name + '"]');
    if (!canvas) { return null; }
    var isMoney = !(opts && opts.counts);
    return new window.Chart(canvas, {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: Object.assign({
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: datasets.length > 1 },
          tooltip: { callbacks: { label: function (ctx) {
            var v = ctx.parsed.y !== undefined && ctx.chart.options.indexAxis !== "y" ? ctx.parsed.y : ctx.parsed.x;
            return ctx.dataset.label + ": " + money.format(v) + (isMoney ? " ₸" : "");
          } } }
        },
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return money.format(v); } } } }
      }, opts && opts.extra)
    });
  }

  var money4 = ["allocated", "contracted", "paid", "spent"];
  var money3 = ["contracted", "paid", "spent"];
  draw("years", "bar", data.years.labels, series(data.years, money4));
  var districts = draw("districts", "bar", data.districts.labels, series(data.districts, money3));
  draw("themes", "bar", data.themes.labels, series(data.themes, money3));
  draw("funders", "bar", data.funders.labels, series(data.funders, money3));
  draw("quarters", "line", data.quarters.labels, series(data.quarters, ["paid", "spent"]));
  ["funnel", "commitments", "resolutions"].forEach(function (name) {
    draw(name, "bar", data[name].labels,
      [{ label: names.count, data: data[name].counts, backgroundColor: colours.count }],
      { counts: true, extra: { indexAxis: name === "funnel" ? "y" : "x",
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } },
                  y: { beginAtZero: true, ticks: { precision: 0 } } } } });
  });

  // Drill down: a district's bar opens the list of its funded projects.
  if (districts) {
    var canvas = districts.canvas;
    canvas.style.cursor = "pointer";
    canvas.addEventListener("click", function (event) {
      var hit = districts.getElementsAtEventForMode(event, "index", { intersect: false }, false)[0];
      if (!hit) { return; }
      var id = data.districts.ids[hit.index];
      if (!id) { return; }
      var url = canvas.dataset.drillUrl.replace("/0/", "/" + id + "/");
      window.location.href = url + (canvas.dataset.query ? "?" + canvas.dataset.query : "");
    });
  }
})();
