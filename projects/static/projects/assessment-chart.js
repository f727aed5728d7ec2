// Yearly net cash flow (bars) and cumulative cash flow (lines) of a feasibility assessment.
(function () {
  const el = document.getElementById("cashflow-data");
  const canvas = document.getElementById("cashflow-chart");
  if (!el || !canvas || typeof Chart === "undefined") return;
  const d = JSON.parse(el.textContent);
  const fmt = new Intl.NumberFormat("th-TH", { maximumFractionDigits: 0 });
  const POSITIVE = "#2e7d32";
  const NEGATIVE = "#c62828";
  Chart.defaults.font.family = "Sarabun, system-ui, sans-serif"; // as the dashboard charts
  // The bars are green or red by sign, so the legend must not take the first bar's colour: the net
  // series gets a fixed green swatch, and a red "negative" entry when some year is below zero.
  function legendLabels(chart) {
    const items = Chart.defaults.plugins.legend.labels.generateLabels(chart);
    const out = [];
    items.forEach(function (item) {
      if (item.datasetIndex !== 0) { out.push(item); return; }
      out.push(Object.assign({}, item, { fillStyle: POSITIVE, strokeStyle: POSITIVE }));
      if (d.net.some((v) => v < 0) && d.net_negative_label) {
        out.push(Object.assign({}, item, { text: d.net_negative_label, fillStyle: NEGATIVE, strokeStyle: NEGATIVE }));
      }
    });
    return out;
  }
  new Chart(canvas, {
    data: {
      labels: d.labels,
      datasets: [
        { type: "bar", label: d.series_labels[0], data: d.net, order: 2,
          backgroundColor: (c) => (c.raw < 0 ? NEGATIVE : POSITIVE) },
        { type: "line", label: d.series_labels[1], data: d.cumulative, order: 1,
          borderColor: "#1f4e79", backgroundColor: "#1f4e79", tension: 0.1 },
        { type: "line", label: d.series_labels[2], data: d.after_financing, order: 0,
          borderColor: "#f29900", backgroundColor: "#f29900", borderDash: [6, 4], tension: 0.1 },
      ],
    },
    options: {
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { ticks: { callback: (v) => fmt.format(v) } } },
      plugins: {
        legend: { labels: { generateLabels: legendLabels, sort: (a, b) => a.datasetIndex - b.datasetIndex } },
        tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + fmt.format(c.parsed.y) } },
      },
    },
  });
})();
