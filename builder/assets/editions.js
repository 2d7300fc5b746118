// A frozen edition's pages were written when their release was cut and never change, so
// they cannot name the releases that came after. Their banner says "see the current site"
// and, where scripts run, this fills in the latest release's number from the site's
// versions.json (mike's format, newest first). Without it the banner reads as it is.
(() => {
  const banner = document.querySelector("[data-versions]");
  const slot = banner && banner.querySelector("[data-latest-release]");
  if (!slot) return;
  fetch(new URL(banner.dataset.versions, document.baseURI))
    .then((response) => (response.ok ? response.json() : []))
    .then((versions) => {
      const latest = versions.find((entry) => entry.version !== "unreleased");
      if (latest) slot.textContent = latest.version;
    })
    .catch(() => {});
})();
