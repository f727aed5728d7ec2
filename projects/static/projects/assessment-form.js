// The assessment year grid: show only the years inside the horizon; per line, either
// "year 1 + growth" (year cells show the computed amounts, read-only) or "every year".
(function () {
  const form = document.getElementById("assessment-form");
  if (!form) return;
  const horizonInput = form.querySelector("[name=horizon_years]");
  const num = (s) => parseFloat(String(s || "").replace(/[,\s]/g, "").replace(/[๐-๙]/g, (d) => "๐๑๒๓๔๕๖๗๘๙".indexOf(d))) || 0;

  function showYears() {
    const n = Math.max(1, Math.min(30, parseInt(horizonInput.value, 10) || 1));
    form.querySelectorAll(".year-col").forEach((el) => {
      el.style.display = parseInt(el.dataset.year, 10) <= n ? "" : "none";
    });
  }

  function updateRow(row) {
    const mode = row.querySelector("select[name$='-mode']");
    if (!mode) return;
    const growth = mode.value === "growth";
    row.querySelectorAll(".growth-cell input").forEach((i) => { i.readOnly = !growth; i.classList.toggle("bg-light", !growth); });
    const first = num(row.querySelector("input[name$='-first_year_amount']").value);
    const g = num(row.querySelector("input[name$='-growth_pct']").value) / 100;
    row.querySelectorAll(".year-col input").forEach((input, idx) => {
      input.readOnly = growth;
      input.classList.toggle("bg-light", growth);
      if (growth) input.value = first ? (first * Math.pow(1 + g, idx)).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : "";
    });
  }

  form.querySelectorAll("tr.line-row").forEach((row) => {
    updateRow(row);
    row.addEventListener("input", () => updateRow(row));
    row.addEventListener("change", () => updateRow(row));
  });
  horizonInput.addEventListener("input", showYears);
  showYears();
})();
