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
// A form sent back with problems: keyboard focus moves to its error summary (GOV.UK's pattern,
// templates/_error_summary.html), so that a screen reader reads it at once and the next Tab
// reaches its links to the fields. A page with only an older notice (or none) gets the same
// with that notice, or with the first field marked invalid.
(function () {
  const summary = document.querySelector("main .error-summary");
  if (summary) {
    summary.focus();
    return;
  }
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
// A link in an error summary focuses its field with the field's label (or its group's legend)
// in view: following the link alone would scroll the label of the field out of sight.
document.addEventListener("click", function (event) {
  const link = event.target.closest(".error-summary a[href^='#']");
  const input = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!input) {
    return;
  }
  event.preventDefault();
  const details = input.closest("details");
  if (details) {
    details.open = true;
  }
  // Radio buttons and checkbox lists ask their question in the legend of their group.
  const fieldset = input.closest("fieldset");
  const legend = fieldset && fieldset.querySelector("legend");
  const options = fieldset && fieldset.querySelectorAll("[name='" + CSS.escape(input.name) + "']");
  const label = document.querySelector("label[for='" + CSS.escape(input.id) + "']");
  (legend && options.length > 1 ? legend : label || input).scrollIntoView();
  input.focus({ preventScroll: true });
});

// A link to something inside a closed <details> (a gate of the route, "#gate-12") opens it, as
// Chromium does by itself when it follows the link and other browsers may not.
function openDetailsOfTarget() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id && document.getElementById(id);
  const details = target && target.closest("details");
  if (details && !details.open) {
    details.open = true;
    target.scrollIntoView();
  }
}
window.addEventListener("hashchange", openDetailsOfTarget);
document.addEventListener("DOMContentLoaded", openDetailsOfTarget);
