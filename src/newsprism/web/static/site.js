// Small enhancements only: every page works without script.
(function () {
  "use strict";
  var add = document.getElementById("add-box");
  var boxes = document.getElementById("boxes");
  if (add && boxes) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var n = boxes.querySelectorAll("textarea").length + 1;
      var div = document.createElement("div");
      div.className = "box";
      var label = document.createElement("label");
      label.htmlFor = "article-" + n;
      label.textContent = "Article " + n + " (optional)";
      var area = document.createElement("textarea");
      area.id = "article-" + n;
      area.name = "article";
      area.rows = 8;
      div.appendChild(label);
      div.appendChild(area);
      boxes.appendChild(div);
      area.focus();
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
