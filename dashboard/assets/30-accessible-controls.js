/* Accessible names and roles for Dash 4.4's option controls (axe-core, WCAG 2.2 A/AA; tests/test_accessibility.py).
 *
 * dcc.RadioItems and dcc.Dropdown render markup we cannot change through their props:
 * - an options list is role="listbox" with role="option" labels that each wrap a native radio or checkbox: an
 *   interactive control inside another (nested-interactive), and a listbox without a name. Native inputs need no
 *   ARIA: the list becomes a plain group (a radiogroup for radios, named by the control's visible label) and the
 *   labels lose their option role and aria-selected (which React sets again when the selection changes, so a
 *   mutation observer keeps them clean);
 * - a dropdown's Tab stop is an invisible, aria-hidden <input> that hands focus to the real button
 *   (aria-hidden-focus: a screen reader lands on something it is told does not exist). The input is disabled and the
 *   button itself takes the Tab stop; the button's name starts with its visible label ("Countries Cuba, Mexico 2
 *   selected") and keeps its visible text in reading order (label-content-name-mismatch).
 * Served by the app like every asset; idempotent, so it may run as often as the DOM changes. */
(function () {
  "use strict";

  function labelIdFor(control) {
    var label = control.id && document.querySelector('label[for="' + CSS.escape(control.id) + '"]');
    if (!label) {
      var box = control.closest(".control");
      label = box && box.querySelector(".form-label");
    }
    if (!label) {
      return "";
    }
    if (!label.id) {
      label.id = (control.id || "control") + "-label";
    }
    return label.id;
  }

  function fixOptionList(list) {
    if (list.getAttribute("role") === "listbox") {
      list.setAttribute("role", list.querySelector("input[type=radio]") ? "radiogroup" : "group");
      if (!list.hasAttribute("aria-labelledby") && !list.hasAttribute("aria-label")) {
        var labelId = labelIdFor(list);
        if (labelId) {
          list.setAttribute("aria-labelledby", labelId);
        }
      }
    }
    list.querySelectorAll("label.dash-options-list-option").forEach(function (option) {
      if (option.hasAttribute("role")) {
        option.removeAttribute("role");
      }
      if (option.hasAttribute("aria-selected")) {
        option.removeAttribute("aria-selected");
      }
    });
  }

  function fixDropdown(button) {
    var dummy = button.previousElementSibling;
    if (dummy && dummy.classList.contains("dash-dropdown-focus-target") && !dummy.disabled) {
      dummy.disabled = true;
      dummy.tabIndex = -1;
    }
    if (button.tabIndex !== 0 && !button.disabled) {
      button.tabIndex = 0;
    }
    var label = button.id && document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
    if (label && button.hasAttribute("aria-labelledby")) {
      // Named by its visible <label> ("Countries"), described by what it shows ("Cuba, Mexico", "2 selected").
      button.removeAttribute("aria-labelledby");
      button.setAttribute("aria-describedby", button.id + "-value " + button.id + "-value-count");
    }
  }

  function fix(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll(".dash-options-list").forEach(fixOptionList);
    scope.querySelectorAll("button.dash-dropdown").forEach(fixDropdown);
  }

  var pending = false;
  function schedule() {
    if (pending) {
      return;
    }
    pending = true;
    // Before the next paint: assistive technology and axe never see the listbox state in between.
    Promise.resolve().then(function () {
      pending = false;
      fix(document);
    });
  }

  var observer = new MutationObserver(function (mutations) {
    for (var i = 0; i < mutations.length; i++) {
      var m = mutations[i];
      if (m.type === "childList" && m.addedNodes.length) {
        schedule();
        return;
      }
      if (m.type === "attributes") {
        var el = m.target;
        if (
          (m.attributeName === "aria-selected" && el.classList.contains("dash-options-list-option") &&
            el.hasAttribute("aria-selected")) ||
          (m.attributeName === "tabindex" && el.classList.contains("dash-dropdown-focus-target") && el.tabIndex !== -1)
        ) {
          schedule();
          return;
        }
      }
    }
  });

  function start() {
    fix(document);
    observer.observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["aria-selected", "tabindex"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
