// A form is sent once: after the first submit its buttons are disabled until the page changes,
// so a double click cannot add a gate twice or record a decision twice. (Served as a file: the
// Content Security Policy allows no inline script.)
document.addEventListener("submit", function (event) {
  const form = event.target;
  // Only forms that change something; htmx forms (saved in place) send as often as they need.
  if (form.method.toLowerCase() !== "post" || form.matches("[hx-post], [hx-post] *")) {
    return;
  }
  if (form.dataset.sent === "yes") {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "yes";
  // Disable after the browser has taken the clicked button's name and value into the form.
  setTimeout(function () {
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
      b.disabled = true;
      b.setAttribute("aria-disabled", "true");
    });
  }, 0);
});
// Coming back to a page from the browser's history, its forms can be sent again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-sent]").forEach(function (form) {
    delete form.dataset.sent;
    form.querySelectorAll("[aria-disabled=true]").forEach(function (b) {
      b.disabled = false;
      b.removeAttribute("aria-disabled");
    });
  });
});
// A form sent back with problems: keyboard focus moves to the notice that says so (as GOV.UK's
// error summary does), so that a screen reader reads it at once and the next Tab goes on into
// the form, where each problem is marked beside its field.
(function () {
  const invalid = document.querySelector("main .is-invalid");
  if (!invalid) {
    return;
  }
  const form = invalid.closest("form");
  let notice = null;
  document.querySelectorAll("main .alert-danger[role=alert]").forEach(function (alert) {
    // The notice for this form: the last one before it on the page.
    if (!form || alert.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING) {
      notice = alert;
    }
  });
  const target = notice || invalid;
  if (notice) {
    notice.setAttribute("tabindex", "-1");
  }
  target.focus();
})();
