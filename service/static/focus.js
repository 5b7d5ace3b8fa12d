// After a search, move keyboard and screen-reader focus to the results heading, so the
// answer is what is read next. Without this script the page works the same, unfocused.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // crisis help, when the question reads as thoughts of suicide or self-harm, comes first
    var heading = document.getElementById("crisis-heading") || document.getElementById("answers-heading") ||
      document.getElementById("results-heading");
    if (heading && !document.querySelector("[aria-invalid=true]")) {
      heading.focus();
      // On a phone the heading can sit at the screen's bottom edge, "in view" to focus() but
      // with the answer below it: bring it to the top.
      if (window.matchMedia && window.matchMedia("(max-width: 30rem)").matches) {
        heading.scrollIntoView({block: "start"});
      }
    }
  });
})();
