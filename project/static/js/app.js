document.addEventListener("DOMContentLoaded", function () {
  // A form sent back with errors: put the focus on the first field that has one, so keyboard and
  // screen-reader users land on it and hear its label and error (aria-describedby); an error of
  // the whole form gets the focus itself.
  var invalid = document.querySelector("main [aria-invalid=true]");
  var formError = document.querySelector("main .errorlist.nonfield, main [data-form-error]");
  if (invalid) {
    invalid.focus();
  } else if (formError) {
    formError.setAttribute("tabindex", "-1");
    formError.focus();
  }
});
