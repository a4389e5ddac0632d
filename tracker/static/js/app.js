// Start the design system's components; kept in a file so the CSP needs no inline script.
document.documentElement.classList.remove("no-js");
document.documentElement.classList.add("js");
if (window.DKFDS) {
  window.DKFDS.init();
}

// Print: the legal basis and the computation trace are printed unfolded.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.print-open").forEach(function (details) {
    if (!details.open) {
      details.dataset.printOpened = "1";
      details.open = true;
    }
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-print-opened]").forEach(function (details) {
    details.open = false;
    delete details.dataset.printOpened;
  });
});
