// Small enhancements only: every page works without script.
(function () {
  "use strict";
  var add = document.getElementById("add-box");
  var boxes = document.getElementById("boxes");
  if (add && boxes) {
    add.hidden = false;
    add.addEventListener("click", function () {
      // A copy of the last article's fields, renumbered and emptied.
      var all = boxes.querySelectorAll("fieldset.box");
      var n = all.length + 1;
      var box = all[all.length - 1].cloneNode(true);
      box.querySelector("legend").textContent = "Article " + n + " (optional)";
      box.querySelectorAll("label").forEach(function (l) {
        l.htmlFor = l.htmlFor.replace(/-\d+$/, "-" + n);
      });
      box.querySelectorAll("textarea, input").forEach(function (f) {
        f.id = f.id.replace(/-\d+$/, "-" + n);
        f.value = "";
        f.removeAttribute("aria-describedby");
      });
      boxes.appendChild(box);
      box.querySelector("textarea").focus();
    });
  }
  var form = document.getElementById("compare-form");
  if (form) {
    form.addEventListener("submit", function () {
      var wait = document.getElementById("wait");
      if (wait) wait.textContent = "Reading and comparing the articles: this takes a few seconds...";
      document.getElementById("compare-submit").disabled = true;
    });
  }
})();
