/* Inside an embedded chart: draw it with plotly.js (basic bundle), follow the reader's colour scheme when asked,
   and tell the host page our height (the host's /embed.js listener resizes the iframe; AMP understands the
   'embed-size' message too). No network requests beyond this app's own files. */
(function () {
  "use strict";
  var dataEl = document.getElementById("figure-data");
  var sent = -1;
  var autoHeight = false;

  function postHeight() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (Math.abs(height - sent) < 2 || window.parent === window) { return; }
    sent = height;
    window.parent.postMessage({ type: "cuba-energy-embed-height", height: height, chart: document.body.dataset.chart || "" }, "*");
    window.parent.postMessage({ sentinel: "amp", type: "embed-size", height: height }, "*");
  }

  window.addEventListener("message", function (event) {
    // The host's listener answers our first height: from then on the chart may size to its width, not the frame.
    if (event.source === window.parent && event.data && event.data.type === "cuba-energy-embed-ack" && !autoHeight) {
      autoHeight = true;
      document.body.classList.add("auto-height");
      if (window.Plotly && document.getElementById("chart")) { window.Plotly.Plots.resize("chart"); }
      setTimeout(postHeight, 50);
    }
  });

  function draw() {
    if (!dataEl || !window.Plotly) { postHeight(); return; }
    var payload = JSON.parse(dataEl.textContent);
    document.body.dataset.chart = payload.chart;
    var dark = payload.theme === "dark" ||
      (payload.theme === "auto" && window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
    var fig = payload.figure;
    var layout = dark ? fig.layout_dark : fig.layout;
    var config = { responsive: true, displaylogo: false, displayModeBar: payload.controls === "on" ? "hover" : false,
                   modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toImage"], locale: payload.locale };
    window.Plotly.newPlot("chart", fig.data, layout, config).then(postHeight);
    if (payload.theme === "auto" && window.matchMedia) {
      window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function (e) {
        window.Plotly.react("chart", fig.data, e.matches ? fig.layout_dark : fig.layout, config);
      });
    }
  }

  if (window.ResizeObserver) { new ResizeObserver(postHeight).observe(document.body); }
  window.addEventListener("resize", postHeight);
  window.addEventListener("load", postHeight);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
