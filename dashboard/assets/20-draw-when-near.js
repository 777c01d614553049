/* Draw each chart when it comes near the screen, not all at once on load.
 *
 * A page holds up to six charts and plotly draws them one after another on the main thread (~0.15 s each here),
 * so the charts a reader sees first waited for the ones below the fold. This wraps Plotly.react: a graph within
 * 200 px of the viewport is drawn at once; any other waits until it scrolls near (or, for a chart hidden behind
 * the table tab, until it is shown). dcc.Graph waits on the returned promise, so its events and resizing follow
 * the draw as before. Only the latest figure for a waiting graph is drawn. Served by the app like every asset. */
(function () {
  "use strict";
  if (!("IntersectionObserver" in window)) {
    return;
  }
  var MARGIN_PX = 200;
  var waiting = new Map(); // graph div -> the draw it waits for
  var graphOf = new Map(); // observed box -> graph div
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        draw(graphOf.get(entry.target));
      }
    });
  }, { rootMargin: MARGIN_PX + "px 0px" });

  // The graph div has no height until plotly draws in it; its parent (dcc.Graph's box) has the chart's height.
  function box(el) {
    return el.parentElement || el;
  }

  function isNear(el) {
    var r = box(el).getBoundingClientRect();
    if (r.width === 0) {
      return false; // hidden (the table tab): draw when shown
    }
    var height = window.innerHeight || document.documentElement.clientHeight;
    return r.bottom >= -MARGIN_PX && r.top <= height + MARGIN_PX;
  }

  function draw(el) {
    var job = waiting.get(el);
    if (!job) {
      return;
    }
    waiting.delete(el);
    graphOf.delete(box(el));
    observer.unobserve(box(el));
    job.react.apply(job.self, job.args).then(
      function (value) { job.callers.forEach(function (c) { c[0](value); }); },
      function (error) { job.callers.forEach(function (c) { c[1](error); }); }
    );
  }

  function patch(Plotly) {
    if (!Plotly || typeof Plotly.react !== "function" || Plotly.drawsWhenNear) {
      return;
    }
    var react = Plotly.react;
    Plotly.react = function (gd) {
      var el = typeof gd === "string" ? document.getElementById(gd) : gd;
      if (!el || !el.isConnected || isNear(el)) {
        return react.apply(this, arguments);
      }
      var self = this;
      var args = arguments;
      return new Promise(function (resolve, reject) {
        var job = waiting.get(el);
        if (job) {
          job.args = args; // a newer figure replaces the one not drawn yet
          job.callers.push([resolve, reject]);
          return;
        }
        waiting.set(el, { react: react, self: self, args: args, callers: [[resolve, reject]] });
        graphOf.set(box(el), el);
        observer.observe(box(el));
      });
    };
    Plotly.drawsWhenNear = true;
  }

  if (window.Plotly) {
    patch(window.Plotly);
    return;
  }
  // plotly.js is loaded later, when the first graph mounts: wrap it as it is defined.
  var plotly;
  Object.defineProperty(window, "Plotly", {
    configurable: true,
    enumerable: true,
    get: function () { return plotly; },
    set: function (value) { plotly = value; patch(value); }
  });
})();
