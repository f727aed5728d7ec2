// Yearly net cash flow (bars) and cumulative cash flow (lines) of a feasibility assessment.
(function () {
  const el = document.getElementById("cashflow-data");
  const canvas = document.getElementById("cashflow-chart");
  if (!el || !canvas || typeof Chart === "undefined") return;
  const d = JSON.parse(el.textContent);
  const fmt = new Intl.NumberFormat("th-TH", { maximumFractionDigits: 0 });
  new Chart(canvas, {
    data: {
      labels: d.labels,
      datasets: [
        { type: "bar", label: d.series_labels[0], data: d.net, order: 2,
          backgroundColor: (c) => (c.raw < 0 ? "#c62828" : "#2e7d32") },
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
      plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + fmt.format(c.parsed.y) } } },
    },
  });
})();
