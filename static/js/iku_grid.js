// The IKU grid: add, remove and reorder rows, and paste a block copied from a spreadsheet.
// Without this script the page still works: it offers empty rows and the server drops blank ones.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("iku-grid");
  if (!form) return;
  var body = form.querySelector("tbody");

  function rows() { return Array.prototype.slice.call(body.querySelectorAll("tr.iku-row")); }

  // Names follow the order shown, so the server reads the rows as the user arranged them.
  function renumber() {
    rows().forEach(function (tr, index) {
      var number = index + 1;
      tr.querySelector(".row-number").textContent = number;
      tr.querySelectorAll("textarea").forEach(function (area) {
        area.name = "r-" + number + "-" + area.dataset.field;
        var label = area.closest("td").dataset.label;
        area.setAttribute("aria-label", "Baris " + number + ": " + label);
      });
    });
  }

  function addRow() {
    var last = rows()[rows().length - 1];
    var fresh = last.cloneNode(true);
    fresh.querySelectorAll("textarea").forEach(function (area) { area.value = ""; area.removeAttribute("aria-invalid"); });
    fresh.querySelectorAll(".errorlist, .warnlist").forEach(function (list) { list.remove(); });
    fresh.querySelectorAll("td").forEach(function (td) { td.classList.remove("invalid", "warned"); });
    body.appendChild(fresh);
    renumber();
    return fresh;
  }

  body.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var tr = button.closest("tr");
    if (button.hasAttribute("data-remove")) {
      if (rows().length > 1) tr.remove();
      else tr.querySelectorAll("textarea").forEach(function (area) { area.value = ""; });
    } else if (button.dataset.move === "-1" && tr.previousElementSibling) {
      body.insertBefore(tr, tr.previousElementSibling);
    } else if (button.dataset.move === "1" && tr.nextElementSibling) {
      body.insertBefore(tr.nextElementSibling, tr);
    }
    renumber();
    button.focus();
  });

  document.getElementById("iku-add-row").addEventListener("click", function () {
    addRow().querySelector("textarea").focus();
  });

  // Spreadsheets copy a range as tab-separated lines, quoting a cell that holds a line break.
  function parseBlock(text) {
    var out = [], row = [], cell = "", quoted = false, i = 0;
    for (; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
        else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"' && cell === "") quoted = true;
      else if (c === "\t") { row.push(cell); cell = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        row.push(cell); out.push(row); row = []; cell = "";
      } else cell += c;
    }
    if (cell !== "" || row.length) { row.push(cell); out.push(row); }
    return out;
  }

  function looksLikeBlock(text) {
    return text.indexOf("\t") >= 0 || /\n./.test(text.replace(/\r?\n$/, "")) && /\r?\n$/.test(text);
  }

  form.addEventListener("paste", function (event) {
    var area = event.target;
    if (area.tagName !== "TEXTAREA" || !area.dataset.field) return;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!looksLikeBlock(text)) return;
    event.preventDefault();
    var block = parseBlock(text);
    var fields = Array.prototype.map.call(area.closest("tr").querySelectorAll("textarea"), function (a) { return a.dataset.field; });
    var startField = fields.indexOf(area.dataset.field);
    // A copied heading line, or a leading "No" column, is not part of the table.
    if (block.length && /^(no\.?|sasaran)/i.test((block[0][0] || "").trim())) block.shift();
    var startRow = rows().indexOf(area.closest("tr"));
    block.forEach(function (cells, offset) {
      if (startField === 0 && cells.length > fields.length && /^\d*\.?$/.test(cells[0].trim())) cells = cells.slice(1);
      var tr = rows()[startRow + offset] || addRow();
      var areas = tr.querySelectorAll("textarea");
      cells.forEach(function (value, column) {
        var target = areas[startField + column];
        if (target) target.value = value.trim();
      });
    });
    renumber();
  });
})();
