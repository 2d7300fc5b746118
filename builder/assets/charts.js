// The only chart script a page loads at first. Chart figures are complete without
// JavaScript (a static SVG, a caption, the data as a table); drawing them with Vega, for
// tooltips, takes a script some 300 KB gzipped. This loader fetches it on a reader's first
// use of a chart: the pointer entering a figure, a touch on it, or focus moving into it
// (its table summary and download links already take focus; no tab stop is added). The
// bundle is a same-origin file beside this one, so every page asks for the same URL and
// the browser caches it. Wrapped in a function: the bundle declares its names globally.
(() => {
  const bundle = new URL("charts-vega.js", document.currentScript.src).href;
  const figures = document.querySelectorAll("figure.chart[data-vega]");
  const triggers = ["pointerenter", "focusin", "touchstart"];

  function loadBundle(event) {
    for (const figure of figures) {
      for (const type of triggers) figure.removeEventListener(type, loadBundle);
    }
    const script = document.createElement("script");
    script.src = bundle;
    script.dataset.first = event.currentTarget.id;
    document.head.append(script);
  }

  for (const figure of figures) {
    for (const type of triggers) figure.addEventListener(type, loadBundle, { passive: true });
  }
})();
