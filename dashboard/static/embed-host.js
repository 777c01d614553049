/* For pages that embed our charts: resize each of our iframes to the height its content asks for.
   Only messages from this script's own origin are obeyed. Include once per page; it is safe to include twice. */
(function () {
  "use strict";
  if (window.__cubaEnergyEmbedListener) { return; }
  window.__cubaEnergyEmbedListener = true;
  var script = document.currentScript;
  var origin = script ? new URL(script.src, window.location.href).origin : null;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "cuba-energy-embed-height" || (origin && event.origin !== origin)) { return; }
    var height = Number(data.height);
    if (!isFinite(height) || height < 100 || height > 5000) { return; }
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.ceil(height) + "px";
        event.source.postMessage({ type: "cuba-energy-embed-ack" }, event.origin);
      }
    }
  });
})();
