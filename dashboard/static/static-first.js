/* Static first, interactive after (dashboard/static_first.py).
 *
 * The page arrives with its first screen already drawn (#sf-static: headings, figures, the first chart as an image).
 * Once the page has loaded (so they never compete with it on a slow link), this loads Dash's scripts, which wait in
 * <script type="text/plain" data-sf-src>, and starts Dash's renderer. Dash renders into #react-entry-point, laid over
 * the static page and invisible (.sf-pending). When Dash's page is there and the charts it draws on the screen are
 * drawn (or the page has none), the two are swapped in one step: the same markup in the same place, so nothing
 * moves. A reader's scroll position, focus and opened <details> carry over. Without JavaScript none of this runs and
 * the static page is the page. Served fingerprinted by the app; no inline script (the CSP allows none). */
(function () {
  "use strict";
  var staticRoot = document.getElementById("sf-static");
  var appRoot = document.getElementById("react-entry-point");
  if (!staticRoot || !appRoot || !appRoot.classList.contains("sf-pending")) {
    return;
  }
  var NEAR_PX = 200; // as assets/20-draw-when-near.js: graphs this close to the screen are drawn at once
  var LATEST_START_MS = 6000; // after this script runs, start Dash even if the page has not finished loading
  var GIVE_UP_MS = 60000; // a chart that never draws (plotly failed to load): keep the static page, it works
  var started = false;
  var swapped = false;

  function preload(list) {
    list.split(" ").forEach(function (href) {
      if (!href) { return; }
      var link = document.createElement("link");
      link.rel = "preload";
      link.as = "script";
      link.href = href;
      document.head.appendChild(link);
    });
  }

  function loadScripts(done) {
    var waiting = Array.prototype.slice.call(document.querySelectorAll("script[data-sf-src]"));
    if (!waiting.length) { done(); return; }
    var remaining = waiting.length;
    // All at once, executed in document order (async = false): downloads overlap, Dash's load order holds.
    waiting.forEach(function (placeholder) {
      var script = document.createElement("script");
      script.src = placeholder.getAttribute("data-sf-src");
      script.async = false;
      script.onload = script.onerror = function () {
        remaining -= 1;
        if (remaining === 0) { done(); }
      };
      placeholder.parentNode.insertBefore(script, placeholder.nextSibling);
      placeholder.removeAttribute("data-sf-src");
    });
  }

  function near(el) {
    var r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) { return false; }
    return r.bottom >= -NEAR_PX && r.top <= (window.innerHeight || 0) + NEAR_PX;
  }

  // The same element in Dash's page: by id, else by its place among the elements of its kind (the two pages have
  // the same markup; the static one adds only its form's hidden fields and <noscript> content).
  function counterpart(el) {
    if (el.id) { return appRoot.querySelector("[id=" + JSON.stringify(el.id) + "]"); }
    var mine = staticRoot.getElementsByTagName(el.tagName);
    var theirs = appRoot.getElementsByTagName(el.tagName);
    var index = Array.prototype.indexOf.call(mine, el);
    return mine.length === theirs.length && index >= 0 ? theirs[index] : null;
  }

  // Dash's page is ready to take over when its main heading is there and every graph the static page shows near the
  // screen has been drawn by plotly in Dash's copy.
  function ready() {
    var main = appRoot.querySelector("main");
    if (!main || !main.querySelector("h1")) { return false; }
    var graphs = staticRoot.querySelectorAll(".sf-graph");
    for (var i = 0; i < graphs.length; i++) {
      if (!near(graphs[i])) { continue; }
      var live = counterpart(graphs[i]);
      if (!live) { return false; }
      if (live.offsetParent !== null && !live.querySelector(".main-svg")) { return false; }
    }
    return true;
  }

  function carryOver() {
    // opened (or closed) <details>, in order, when both pages have the same ones
    var mine = staticRoot.querySelectorAll("details");
    var theirs = appRoot.querySelectorAll("details");
    if (mine.length === theirs.length) {
      for (var i = 0; i < mine.length; i++) {
        if (mine[i].open !== theirs[i].open) { theirs[i].open = mine[i].open; }
      }
    }
    var active = document.activeElement;
    return active && staticRoot.contains(active) ? counterpart(active) : null;
  }

  function swap() {
    if (swapped) { return; }
    swapped = true;
    var y = window.scrollY;
    var focus = carryOver();
    staticRoot.parentNode.removeChild(staticRoot);
    appRoot.classList.remove("sf-pending");
    document.documentElement.classList.add("sf-live");
    if (focus && focus.focus) { focus.focus({ preventScroll: true }); }
    if (window.scrollY !== y) { window.scrollTo(window.scrollX, y); }
    window.dispatchEvent(new Event("resize")); // plotly sizes to its now visible box (same size: nothing redraws)
  }

  function watch() {
    var startedAt = Date.now();
    var pending = false;
    function check() {
      pending = false;
      if (swapped) { return; }
      if (ready()) {
        // one more frame: let Dash finish the commit this mutation belongs to
        requestAnimationFrame(function () { if (ready()) { swap(); } else { schedule(); } });
      } else if (Date.now() - startedAt > GIVE_UP_MS) {
        observer.disconnect();
      }
    }
    function schedule() {
      if (!pending) {
        pending = true;
        setTimeout(check, 50);
      }
    }
    var observer = new MutationObserver(schedule);
    observer.observe(appRoot, { childList: true, subtree: true });
    window.addEventListener("scroll", schedule, { passive: true });
    schedule();
  }

  function start() {
    if (started) { return; }
    started = true;
    preload(staticRoot.getAttribute("data-sf-preload") || "");
    loadScripts(function () {
      if (typeof window.DashRenderer !== "function") { return; } // Dash did not load: the static page stays
      watch();
      new window.DashRenderer();
    });
  }

  // Until the swap the static view controls work as they do without scripts: the form's GET reloads the page in
  // the chosen view (its Apply button is shown only without scripts, so nothing moves at the swap). A choice
  // (select, radio, checkbox) applies at once; a typed value (a date) on Enter or when the field is left, as Dash's
  // own inputs do. Nothing here runs after the swap: the static page is gone, Dash's controls have taken over.
  function submitControls(form) {
    if (swapped || !form || !form.classList.contains("controls") || !staticRoot.contains(form)) { return; }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }
  function typed(el) {
    return el.tagName === "INPUT" && el.type !== "radio" && el.type !== "checkbox";
  }
  var edited = null;
  staticRoot.addEventListener("change", function (event) {
    var el = event.target;
    if (typed(el)) { edited = el; return; }
    submitControls(el.form);
  });
  staticRoot.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && typed(event.target)) {
      event.preventDefault();
      submitControls(event.target.form);
    }
  });
  staticRoot.addEventListener("focusout", function (event) {
    if (edited && event.target === edited) {
      edited = null;
      submitControls(event.target.form);
    }
  });

  document.documentElement.classList.add("sf-js");
  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
    // an image the server is slow to draw must not hold the interactive page back for long
    setTimeout(start, LATEST_START_MS);
  }
})();
