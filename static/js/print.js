// A <button data-print> opens the browser's print dialog (no inline handlers under the Content-Security-Policy).
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("button[data-print]")) {
    window.print();
  }
});
