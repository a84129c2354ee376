// Houqin: small behaviours, no inline script (CSP).
document.addEventListener("DOMContentLoaded", function () {
  // Send the CSRF token with every htmx request.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
});

// A background export that becomes ready while its page is open downloads by itself.
document.addEventListener("htmx:afterSwap", function () {
  var link = document.querySelector("[data-auto-download]");
  if (link) {
    link.removeAttribute("data-auto-download");
    link.click();
  }
});
