// The IKU grid: add, remove and reorder rows, and paste a block copied from a spreadsheet.
// Without this script the page still works: it offers empty rows and the server drops blank ones.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("iku-grid");
  if (!form) return;
  var body = form.querySelector("tbody");

  function rows() { return Array.prototype.slice.call(body.querySelectorAll("tr.iku-row")); }

  // A cell grows with its text, so a 300-character indicator is read whole rather than cut to two
  // lines: up to about fifteen lines at rest, and up to most of the screen while it is being edited.
  function fit(area) {
    var cap = document.activeElement === area ? window.innerHeight * 0.6 : 24 * 16;
    area.style.height = "auto";
    area.style.height = Math.min(area.scrollHeight + 2, Math.max(cap, 48)) + "px";
  }
  function fitAll() { form.querySelectorAll("tbody textarea").forEach(fit); }
  form.addEventListener("input", function (event) { if (event.target.dataset.field) fit(event.target); });
  form.addEventListener("focusin", function (event) { if (event.target.dataset.field) fit(event.target); });
  form.addEventListener("focusout", function (event) {
    var area = event.target;
    if (area.dataset.field) setTimeout(function () { fit(area); }, 0);
  });
  var resizing = 0;
  window.addEventListener("resize", function () {
    cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(fitAll);
  });
  fitAll();

  // A link in the summary of errors or warnings puts the cursor in the cell it names.
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#'], .warning-summary a[href^='#']");
    var cell = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!cell) return;
    event.preventDefault();
    history.replaceState(null, "", link.getAttribute("href"));
    cell.scrollIntoView({block: "center"});
    cell.focus({preventScroll: true});
  });
  // A refused form opens at what must be fixed first.
  var summary = document.getElementById("ringkasan-kesalahan");
  if (summary && !location.hash) summary.focus();

  // Names follow the order shown, so the server reads the rows as the user arranged them.
  function renumber() {
    rows().forEach(function (tr, index) {
      var number = index + 1;
      tr.querySelector(".row-number").textContent = number;
      tr.querySelectorAll("textarea").forEach(function (area) {
        area.name = "r-" + number + "-" + area.dataset.field;
        area.id = area.name;
        var label = area.closest("td").dataset.label;
        area.setAttribute("aria-label", "Baris " + number + ": " + label);
      });
    });
  }

  function addRow() {
    var last = rows()[rows().length - 1];
    var fresh = last.cloneNode(true);
    fresh.querySelectorAll("textarea").forEach(function (area) {
      area.value = ""; area.removeAttribute("aria-invalid"); area.style.height = "";
    });
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

  var BLOCKS = /^(P|DIV|LI|TR|H[1-6]|BLOCKQUOTE)$/;

  // A cell's text as its reader sees it: a <br> or a paragraph (Word puts each in a <p>) is a line
  // break; the HTML's own line wrapping and indentation are not.
  function cellText(node) {
    var lines = [""];
    (function walk(n) {
      n.childNodes.forEach(function (child) {
        if (child.nodeType === 3) lines[lines.length - 1] += child.data.replace(/[\s\u00a0]+/g, " ");
        else if (child.nodeType !== 1 || /^(STYLE|SCRIPT|HEAD|TITLE)$/.test(child.tagName)) return;
        else if (child.tagName === "BR") lines.push("");
        else {
          var block = BLOCKS.test(child.tagName);
          if (block && lines[lines.length - 1].trim() !== "") lines.push("");
          walk(child);
          if (block) lines.push("");
        }
      });
    })(node);
    return lines.map(function (line) { return line.trim(); }).join("\n").replace(/\n{3,}/g, "\n\n").trim();
  }

  // A table copied from Excel, Word or a web page, read from its HTML: a cell keeps its paragraphs
  // and line breaks, and a cell merged over rows (a Sasaran spanning its indicators) is blank on
  // the rows it spans, which the server reads as continuing the one above.
  function parseTable(html) {
    var table = new DOMParser().parseFromString(html, "text/html").querySelector("table");
    if (!table) return null;
    var out = [], spanned = [];
    Array.prototype.forEach.call(table.rows, function (tr, r) {
      var cells = out[r] = [], column = 0;
      Array.prototype.forEach.call(tr.cells, function (td) {
        while (spanned[r] && spanned[r][column]) { cells[column] = ""; column++; }
        var across = Math.max(1, td.colSpan || 1), down = Math.max(1, td.rowSpan || 1);
        for (var a = 0; a < across; a++) {
          cells[column + a] = a === 0 ? cellText(td) : "";
          for (var d = 1; d < down; d++) (spanned[r + d] = spanned[r + d] || [])[column + a] = true;
        }
        column += across;
      });
      while (spanned[r] && spanned[r][column]) { cells[column] = ""; column++; }
    });
    return out.filter(function (cells) { return cells.length; });
  }

  // What a paste holds: rows of cells, or null for text that belongs in the one cell as it is
  // (paragraphs from Word, or a line typed elsewhere), which the browser pastes itself.
  function pastedBlock(data) {
    var html = data.getData("text/html");
    var fromTable = html && /<table/i.test(html) ? parseTable(html) : null;
    if (fromTable && fromTable.length) return fromTable;
    var text = data.getData("text/plain") || data.getData("text");
    if (text.indexOf("\t") >= 0) return parseBlock(text.replace(/\r?\n$/, ""));
    // One spreadsheet cell holding line breaks comes quoted: its text without the quotes.
    var quoted = /^"((?:[^"]|"")*)"\r?\n?$/.exec(text);
    if (quoted && /\n/.test(quoted[1])) return [[quoted[1].replace(/""/g, '"')]];
    return null;
  }

  form.addEventListener("paste", function (event) {
    var area = event.target;
    if (area.tagName !== "TEXTAREA" || !area.dataset.field) return;
    var data = event.clipboardData || window.clipboardData;
    if (!data) return;
    var block = pastedBlock(data);
    if (!block || (block.length === 1 && block[0].length === 1 && !/\n/.test(block[0][0]))) return;
    event.preventDefault();
    var fields = Array.prototype.map.call(area.closest("tr").querySelectorAll("textarea"), function (a) { return a.dataset.field; });
    var startField = fields.indexOf(area.dataset.field);
    // A copied heading line, or a leading "No" column, is not part of the table.
    if (block.length > 1 && /^(no\.?|sasaran)/i.test((block[0][0] || "").trim())) block.shift();
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
    rows().forEach(function (tr) { tr.querySelectorAll("textarea").forEach(fit); });
  });
})();
