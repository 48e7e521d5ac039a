// The analysis page's "Select all on this page": ticks or clears every response's checkbox of
// the bulk tagging form. Without it, each box is ticked by itself, or "All that match" chosen.
// (Served as a file: the Content Security Policy allows no inline script.)
document.addEventListener("change", function (event) {
  const all = event.target;
  if (!all.matches("[data-select-all]")) {
    return;
  }
  document.querySelectorAll("input[name=responses][form='" + all.dataset.selectAll + "']").forEach(function (box) {
    box.checked = all.checked;
  });
});
