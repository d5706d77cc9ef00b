document.addEventListener("DOMContentLoaded", function () {
  // Submit the language picker as soon as a language is chosen (no inline handlers: CSP forbids them).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // A form sent back with errors: put the focus on the first field that has one, so keyboard and
  // screen-reader users land on it and hear its label and error (aria-describedby).
  var invalid = document.querySelector("main [aria-invalid=true]");
  if (invalid) { invalid.focus(); }
});
