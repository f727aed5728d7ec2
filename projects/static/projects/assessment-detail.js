// The feasibility assessment page: scroll cues on the wide cash-flow tables and the grid upload's file picker.
(function () {
  // A .scroll-box wraps a .table-responsive; it gets "more-right" / "more-left" while columns are
  // hidden on that side, and the .scroll-hint just before it shows only while the table overflows.
  function updateCue(box, scroller) {
    const max = scroller.scrollWidth - scroller.clientWidth;
    const overflowing = max > 1;
    box.classList.toggle("more-right", overflowing && scroller.scrollLeft < max - 1);
    box.classList.toggle("more-left", overflowing && scroller.scrollLeft > 1);
    const first = scroller.querySelector("tr > :first-child");
    if (first) box.style.setProperty("--sticky-width", first.offsetWidth + "px");
    const hint = box.previousElementSibling;
    if (hint && hint.classList.contains("scroll-hint")) hint.hidden = !overflowing;
  }
  document.querySelectorAll(".scroll-box").forEach(function (box) {
    const scroller = box.querySelector(".table-responsive");
    if (!scroller) return;
    const update = function () { updateCue(box, scroller); };
    scroller.addEventListener("scroll", update, { passive: true });
    if (window.ResizeObserver) new ResizeObserver(update).observe(scroller);
    else window.addEventListener("resize", update);
    update();
  });

  // The file input is visually hidden behind a Bootstrap button (its label); show the chosen name.
  document.querySelectorAll(".file-picker input[type=file]").forEach(function (input) {
    const name = document.getElementById(input.getAttribute("aria-describedby"));
    if (!name) return;
    input.addEventListener("change", function () {
      const file = input.files && input.files[0];
      name.textContent = file ? file.name : name.dataset.empty;
      name.title = file ? file.name : "";
      name.classList.toggle("text-muted", !file);
    });
  });
})();
