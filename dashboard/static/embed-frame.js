/* Inside an embedded chart: draw it with plotly.js (basic bundle, loaded after the page's first screen), follow the
   reader's colour scheme when asked, and tell the host page our height (the host's /embed.js listener resizes the
   iframe; AMP understands the 'embed-size' message too). No network requests beyond this app's own files. */
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
    window.Plotly.newPlot("chart", fig.data, layout, config).then(function () {
      // the static first screen (an image of the same figure) gives way to the drawn chart
      var placeholder = document.querySelector("#chart > .sf-picture");
      if (placeholder) { placeholder.parentNode.removeChild(placeholder); }
      postHeight();
    });
    if (payload.theme === "auto" && window.matchMedia) {
      window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function (e) {
        window.Plotly.react("chart", fig.data, e.matches ? fig.layout_dark : fig.layout, config);
      });
    }
  }

  if (window.ResizeObserver) { new ResizeObserver(postHeight).observe(document.body); }
  window.addEventListener("resize", postHeight);
  window.addEventListener("load", postHeight);
  // plotly.js (data-plotly) is loaded once the page, and its first screen, have loaded: on a slow link it never
  // competes with them (dashboard/static_first.py).
  function loadPlotly() {
    var chart = document.getElementById("chart");
    var src = chart && chart.getAttribute("data-plotly");
    if (window.Plotly || !src || !dataEl) { draw(); return; }
    var script = document.createElement("script");
    script.src = src;
    script.onload = draw;
    script.onerror = postHeight;
    document.head.appendChild(script);
  }
  var loading = false;
  function start() { if (!loading) { loading = true; loadPlotly(); } }
  if (document.readyState === "complete") { start(); } else {
    window.addEventListener("load", start);
    setTimeout(start, 6000); // an image the server is slow to draw must not hold the chart back for long
  }
})();
