/* Filter and sort for the agency tables: plain DOM, no libraries, works from file://.
   Rows carry data-name, data-status and data-kind; a cell's data-sort (if any) is its sort key.
   The page address may preselect a status: agencies.html#status=late. */
(function () {
  "use strict";
  var table = document.getElementById("agency-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var form = document.getElementById("filters");

  function key(row, index) {
    var cell = row.cells[index];
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, index) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = th.getAttribute("data-type") === "number";
      var sorted = rows.slice().sort(function (a, b) {
        var x = key(a, index), y = key(b, index), r;
        if (numeric) {
          r = (parseFloat(x) || 0) - (parseFloat(y) || 0);
        } else {
          r = x.localeCompare(y, "zh-CN");
        }
        return ascending ? r : -r;
      });
      sorted.forEach(function (row) { body.appendChild(row); });
    });
  });

  if (!form) { return; }
  form.hidden = false;
  var shown = form.elements.namedItem("shown");
  function apply() {
    var q = form.elements.namedItem("q").value.trim();
    var status = form.elements.namedItem("status").value;
    var kind = form.elements.namedItem("kind").value;
    var count = 0;
    rows.forEach(function (row) {
      var visible = (!q || row.getAttribute("data-name").indexOf(q) !== -1) &&
        (!status || row.getAttribute("data-status") === status) &&
        (!kind || row.getAttribute("data-kind") === kind);
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.value = "显示 " + count + " / " + rows.length + " 个机关";
  }
  function fromHash() {
    var match = /status=([a-z_]+)/.exec(window.location.hash);
    if (match) { form.elements.namedItem("status").value = match[1]; }
    apply();
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("hashchange", fromHash);
  fromHash();
}());
