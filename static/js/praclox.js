// Praclox CRM: small progressive enhancements; everything works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Confirm destructive buttons that carry a data-confirm text.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
  // Print buttons.
  document.querySelectorAll("[data-print]").forEach((el) => {
    el.addEventListener("click", () => window.print());
  });
});
