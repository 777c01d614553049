/* A chart whose figure names a phone window (layout.meta.phone_range: e.g. the last three years of 86 monthly bars,
   which on a 375 px screen are 2 px wide) shows that window while its plot is narrow, with the figure's note saying
   so (the annotation named "phone-note"), and its whole range again when it is wide. A reader's own zoom wins.
   Used by the Dash pages and by embeds; the same window is drawn into the phone-sized images (dashboard/screen.py). */
(function () {
  "use strict";
  var NARROW_PX = 560;

  function sameRange(a, b) {
    return a && b && String(a[0]).slice(0, 10) === String(b[0]).slice(0, 10) &&
      String(a[1]).slice(0, 10) === String(b[1]).slice(0, 10);
  }

  function apply(gd) {
    var layout = gd.layout || {};
    var meta = layout.meta;
    if (!window.Plotly || !meta || !meta.phone_range || !meta.full_range || gd.dataset.readerZoom === "1") { return; }
    var narrow = gd.clientWidth > 0 && gd.clientWidth < NARROW_PX;
    var want = narrow ? meta.phone_range : meta.full_range;
    var update = {};
    if (!sameRange((layout.xaxis || {}).range, want)) { update["xaxis.range"] = want.slice(); }
    var wantY = narrow ? meta.phone_y : meta.full_y;
    var haveY = (layout.yaxis || {}).range || [];
    if (wantY && wantY.length === 2 && (haveY[0] !== wantY[0] || haveY[1] !== wantY[1])) {
      update["yaxis.range"] = wantY.slice();
    }
    (layout.annotations || []).forEach(function (note, i) {
      if (note.name === "phone-note" && note.visible !== narrow) { update["annotations[" + i + "].visible"] = narrow; }
    });
    if (!Object.keys(update).length) { return; }
    gd._cubaWindowing = true;
    window.Plotly.relayout(gd, update).then(function () { gd._cubaWindowing = false; },
                                            function () { gd._cubaWindowing = false; });
  }

  function hook(gd) {
    if (gd._cubaWindow || !gd.on) { return; }
    gd._cubaWindow = true;
    gd.on("plotly_relayout", function (event) {
      if (gd._cubaWindowing || !event) { return; }
      if ("xaxis.range[0]" in event || "xaxis.autorange" in event || "xaxis.range" in event) {
        gd.dataset.readerZoom = "1";
      }
    });
    gd.on("plotly_afterplot", function () { if (!gd._cubaWindowing) { apply(gd); } });
    apply(gd);
  }

  var queued = false;
  function scan() {
    if (queued) { return; }
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      Array.prototype.forEach.call(document.querySelectorAll(".js-plotly-plot"), hook);
    });
  }
  function start() {
    new MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
    window.addEventListener("resize", function () {
      Array.prototype.forEach.call(document.querySelectorAll(".js-plotly-plot"), apply);
    });
    scan();
  }
  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
  window.cubaPhoneWindow = scan;
})();
