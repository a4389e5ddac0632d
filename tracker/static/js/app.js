// Start the design system's components; kept in a file so the CSP needs no inline script.
document.documentElement.classList.remove("no-js");
document.documentElement.classList.add("js");
if (window.DKFDS) {
  window.DKFDS.init();
}
