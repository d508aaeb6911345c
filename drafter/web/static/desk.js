// A refusal the library explains (HTTP 400) is shown above the page, not swapped into the part being edited.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    event.detail.target = document.getElementById("messages");
  }
});
