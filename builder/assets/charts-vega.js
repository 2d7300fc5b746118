// The interactive layer of chart figures, loaded by charts.js on a reader's first use of a
// chart. Without JavaScript, or if anything here fails, each figure keeps its static SVG
// image, caption and data table. With it, the image is replaced by the same chart drawn by
// Vega in the browser, which adds tooltips. This file is bundled with Vega at build time
// (builder/charts.py, vl-convert), so the site never loads a script from another host.
async function enhanceFigure(figure) {
  const image = figure.querySelector("img.chart-image");
  const response = await fetch(figure.dataset.vega);
  if (!response.ok) throw new Error(`${figure.dataset.vega}: ${response.status}`);
  const spec = await response.json();
  const holder = document.createElement("div");
  holder.className = "chart-interactive";
  holder.setAttribute("role", "img");
  holder.setAttribute("aria-label", image ? image.alt : "");
  // The bundler exposes only vegaEmbed; the spec is already compiled to Vega at build time.
  await vegaEmbed(holder, spec, { mode: "vega", renderer: "svg", actions: false });
  if (image) {
    image.after(holder);
    image.hidden = true;
  }
}

function keepStatic() {
  // Keep the static image: it says everything the interactive chart says.
}

// The chart the reader reached first is drawn first, then every other chart of the page.
async function enhanceCharts(firstId) {
  const figures = [...document.querySelectorAll("figure.chart[data-vega]")];
  const first = figures.find((figure) => figure.id === firstId);
  if (first) await enhanceFigure(first).catch(keepStatic);
  const others = figures.filter((figure) => figure !== first);
  await Promise.all(others.map((figure) => enhanceFigure(figure).catch(keepStatic)));
}

// charts.js names the figure the reader reached on the script element that loads this file.
enhanceCharts(document.currentScript?.dataset.first);
