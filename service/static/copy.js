// "Copy citation" buttons of the staff page. The citations are visible text, so the page
// works without this script; it only reveals the buttons and copies on click.
(function () {
  "use strict";

  function announce(text) {
    var status = document.getElementById("copy-status");
    if (status) { status.textContent = text; }
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-target"));
    if (!target) { return; }
    var text = target.textContent.trim();
    var done = function () {
      announce("Citation copied.");
      button.textContent = "Copied";
      window.setTimeout(function () { button.textContent = "Copy citation"; }, 2000);
    };
    var failed = function () {
      if (fallbackCopy(text)) { done(); } else { announce("Could not copy; select the citation text instead."); }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button.copy-citation");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  });
})();
