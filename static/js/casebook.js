// Small page behaviours, kept out of the HTML: the Content-Security-Policy allows no inline handlers.
//   <select data-autosubmit>        submits its form when the choice changes
//   <form data-confirm="question">  asks before it is submitted
//   <form data-reset-after-request> is emptied once htmx has sent it and the answer arrived
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
});
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target;
  if (form.matches && form.matches("form[data-reset-after-request]") && event.detail.successful) form.reset();
});
