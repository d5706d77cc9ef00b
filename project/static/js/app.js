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

// A list of checkboxes under a search box (agreements/widgets/filtered_checkboxes.html): typing
// hides the boxes whose label does not contain the text. When the form also has a customer
// choice, only the applications that customer uses are shown, and boxes it does not use are
// cleared so they are not sent unseen (the server refuses them anyway).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-filtered-choices]").forEach(function (box) {
    var filter = box.querySelector("[data-filter]");
    var none = box.querySelector("[data-none]");
    var customer = box.closest("form") && box.closest("form").querySelector("select[name=customer]");
    var options = Array.prototype.slice.call(box.querySelectorAll("input[type=checkbox]"));
    function update() {
      var text = filter.value.trim().toLowerCase();
      var shown = 0;
      options.forEach(function (input) {
        var row = input.closest("div");
        var usedBy = (input.getAttribute("data-used-by") || "").split(" ");
        var forCustomer = !customer || !customer.value || usedBy.indexOf(customer.value) !== -1;
        if (!forCustomer) { input.checked = false; }
        var match = forCustomer && row.textContent.toLowerCase().indexOf(text) !== -1;
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      none.hidden = shown > 0;
    }
    filter.hidden = false;
    filter.addEventListener("input", update);
    if (customer) { customer.addEventListener("change", update); }
    update();
  });
});
