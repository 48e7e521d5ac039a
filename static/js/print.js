// A "Print this page" button (data-print-page): hidden until this script shows it, so that
// without JavaScript no button is offered that does nothing (the page says to use the
// browser's print command). Served as a file: the Content Security Policy allows no inline
// script.
document.querySelectorAll("[data-print-page]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
