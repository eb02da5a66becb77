// The IKU grid: add, remove and reorder rows, and paste a block copied from a spreadsheet.
// Without this script the page still works: it offers empty rows and the server drops blank ones.
(function () {
  "use strict";
  var form = document.getElementById("iku-grid");
  if (!form) return;
  var body = form.querySelector("tbody");

  function rows() { return Array.prototype.slice.call(body.querySelectorAll("tr.iku-row")); }

  // A cell grows with its text, so a 300-character indicator is read whole rather than cut to two
  // lines: up to about fifteen lines at rest, and up to most of the screen while it is being edited.
  // Cells are fitted in batches: every height let go, then every height read, then every height set.
  // Fitting one cell at a time lays the whole table out again for each of its up to 2,400 cells
  // (300 rows took six seconds to open, paste or save).
  function fitAreas(areas) {
    if (!areas.length) return;
    var focused = document.activeElement, tall = window.innerHeight * 0.6;
    // The form keeps its height while its cells are let go: a page that shrank meanwhile would lose
    // its scroll position, or its scroll bar and so the width the cells are measured at.
    form.style.minHeight = form.offsetHeight + "px";
    areas.forEach(function (area) { area.style.height = "auto"; });
    var heights = areas.map(function (area) { return area.scrollHeight; });
    areas.forEach(function (area, index) {
      var cap = area === focused ? tall : 24 * 16;
      area.style.height = Math.min(heights[index] + 2, Math.max(cap, 48)) + "px";
    });
    form.style.minHeight = "";
  }
  function fit(area) { fitAreas([area]); }
  function areasOf(trs) {
    var areas = [];
    trs.forEach(function (tr) { areas.push.apply(areas, tr.querySelectorAll("textarea")); });
    return areas;
  }
  function fitAll() { fitAreas(Array.prototype.slice.call(body.querySelectorAll("textarea"))); }
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

  // Names follow the order shown, so the server reads the rows as the user arranged them. Only the
  // rows from `from` on (to `to`) are renamed: the others keep their place and their names.
  // The row's buttons and its cells' error and warning lists are named after it too, and the
  // summaries' links follow their cells (a removed row's links go with it).
  function renumber(from, to, removed) {
    var all = rows(), first = from || 0, renamed = {};
    all.slice(first, to === undefined ? all.length : to + 1).forEach(function (tr, offset) {
      var number = first + offset + 1;
      tr.querySelector(".row-number").textContent = number;
      tr.querySelectorAll("textarea").forEach(function (area) {
        var name = "r-" + number + "-" + area.dataset.field;
        if (area.id !== name) renamed[area.id] = name;
        area.name = area.id = name;
        var label = area.closest("td").dataset.label;
        area.setAttribute("aria-label", "Baris " + number + ": " + label);
        var described = [];
        [["errorlist", "-salah"], ["warnlist", "-catatan"]].forEach(function (kind) {
          var list = area.closest("td").querySelector("." + kind[0]);
          if (list) { list.id = name + kind[1]; described.push(list.id); }
        });
        if (described.length) area.setAttribute("aria-describedby", described.join(" "));
        else area.removeAttribute("aria-describedby");
      });
      tr.querySelectorAll("[data-move='-1']").forEach(function (b) { b.setAttribute("aria-label", "Naikkan baris " + number); });
      tr.querySelectorAll("[data-move='1']").forEach(function (b) { b.setAttribute("aria-label", "Turunkan baris " + number); });
      tr.querySelectorAll("[data-remove]").forEach(function (b) { b.setAttribute("aria-label", "Hapus baris " + number); });
    });
    document.querySelectorAll("a[href^='#r-']").forEach(function (link) {
      var id = link.getAttribute("href").slice(1);
      if (removed && removed.indexOf(id) >= 0) {
        var item = link.closest("li");
        if (item) item.remove();
      } else if (renamed[id]) {
        link.setAttribute("href", "#" + renamed[id]);
        link.textContent = link.textContent.replace(/^Baris \d+/, "Baris " + renamed[id].split("-")[1]);
      }
    });
  }

  // What a row's button did, for whoever does not see the table change.
  var rowNews = document.getElementById("kabar-baris");
  function tell(text) {
    rowNews.textContent = "";
    requestAnimationFrame(function () { rowNews.textContent = text; });
  }

  // `count` empty rows at the end, named once they are all in place.
  function addRows(count) {
    var all = rows(), last = all[all.length - 1], added = [], batch = document.createDocumentFragment();
    for (var n = 0; n < count; n++) {
      var fresh = last.cloneNode(true);
      fresh.querySelectorAll("textarea").forEach(function (area) {
        area.value = ""; area.removeAttribute("aria-invalid"); area.removeAttribute("aria-describedby");
        area.style.height = "";
      });
      fresh.querySelectorAll(".errorlist, .warnlist").forEach(function (list) { list.remove(); });
      fresh.querySelectorAll("td").forEach(function (td) { td.classList.remove("invalid", "warned"); });
      batch.appendChild(fresh);
      added.push(fresh);
    }
    body.appendChild(batch);
    renumber(all.length);
    return added;
  }

  body.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var tr = button.closest("tr"), index = rows().indexOf(tr);
    if (button.hasAttribute("data-remove")) {
      if (rows().length > 1) {
        var gone = Array.prototype.map.call(tr.querySelectorAll("textarea"), function (area) { return area.id; });
        tr.remove();
        renumber(index, undefined, gone);
        // The cursor stays where the row was: on the button of the row now in its place.
        var left = rows();
        left[Math.min(index, left.length - 1)].querySelector("[data-remove]").focus();
        tell("Baris " + (index + 1) + " dihapus; " + left.length + " baris tersisa.");
        return;
      }
      var areas = Array.prototype.slice.call(tr.querySelectorAll("textarea"));
      areas.forEach(function (area) { area.value = ""; });
      fitAreas(areas);
      tell("Baris 1 dikosongkan.");
    } else if (button.dataset.move === "-1" && tr.previousElementSibling) {
      body.insertBefore(tr, tr.previousElementSibling);
      renumber(index - 1, index);
      tell("Baris dipindah ke nomor " + index + ".");
    } else if (button.dataset.move === "1" && tr.nextElementSibling) {
      body.insertBefore(tr.nextElementSibling, tr);
      renumber(index, index + 1);
      tell("Baris dipindah ke nomor " + (index + 2) + ".");
    }
    button.focus();
  });

  document.getElementById("iku-add-row").addEventListener("click", function () {
    addRows(1)[0].querySelector("textarea").focus();
  });

  // Spreadsheets copy a range as tab-separated lines, quoting a cell that holds a line break (and
  // doubling the quotes inside it). A cell that merely begins with a quote ("Zero" stunting) is
  // written as it is, so a quote opens a quoted cell only where a closing quote ends the cell; else
  // it is the cell's own text, and an unclosed quote cannot swallow the rows after it.
  function closingQuote(text, open) {
    for (var i = open + 1; i < text.length; i++) {
      if (text[i] !== '"') continue;
      if (text[i + 1] === '"') { i++; continue; }
      var next = text[i + 1];
      return next === undefined || next === "\t" || next === "\n" || next === "\r" ? i : -1;
    }
    return -1;
  }

  function parseBlock(text) {
    var out = [], row = [], cell = "", start = true;
    for (var i = 0; i < text.length; i++) {
      var c = text[i], close = start && c === '"' ? closingQuote(text, i) : -1;
      start = false;
      if (close >= 0) { cell = text.slice(i + 1, close).replace(/""/g, '"'); i = close; }
      else if (c === "\t") { row.push(cell); cell = ""; start = true; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        row.push(cell); out.push(row); row = []; cell = ""; start = true;
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

  // A copied heading line is not part of the table: one whose cells are mostly the grid's own column
  // headings ("No", "Sasaran Strategis", "Indikator Kinerja Utama", ...), as a whole, one part of a
  // heading such as "Penjelasan/Alasan", or its first words ("Indikator"), or a heading an uploaded
  // file is read by ("Kinerja Utama", "Definisi Operasional"), whole. A row that only begins with
  // such a word ("Sasaran 1: Meningkatnya ...", "Nomor ...") is a row of the table.
  function normalHeading(text) {
    return (text || "").toLowerCase().replace(/[\s\u00a0]+/g, " ").replace(/ ?\/ ?/g, "/").trim().replace(/[\s:*.]+$/, "");
  }
  var HEADINGS = {};
  form.querySelectorAll("thead th:not(.col-tools)").forEach(function (th) {
    var label = normalHeading(th.textContent);
    if (!label) return;
    HEADINGS[label] = true;
    label.split("/").forEach(function (part) {
      var words = part.split(" ");
      for (var n = 1; n <= words.length; n++) HEADINGS[words.slice(0, n).join(" ")] = true;
    });
  });
  // The headings an uploaded file's columns are known by (iku/xlsx.py, HEADINGS), given by the
  // server: a pasted heading line places its columns as the file's header would.
  var READER = JSON.parse(document.getElementById("judul-kolom-iku").textContent);
  var NUMBER_HEADING = new RegExp("^(?:" + READER.number + ")$", "i");
  Object.keys(READER.columns).forEach(function (name) {
    READER.columns[name].forEach(function (start) { HEADINGS[start] = true; });
  });
  function isHeading(cells) {
    var named = cells.map(normalHeading).filter(Boolean);
    var headings = named.filter(function (text) { return HEADINGS[text] === true || NUMBER_HEADING.test(text); });
    return named.length > 0 && headings.length * 2 > named.length;
  }
  // The grid column a heading names, as the XLSX reader finds it (_field_of): the longest of the
  // headings it begins with, among the columns not named by a heading to its left.
  function fieldOf(text, taken) {
    var heading = normalHeading(text), best = null;
    if (!heading) return null;
    Object.keys(READER.columns).forEach(function (name) {
      if (name in taken) return;
      READER.columns[name].forEach(function (start) {
        if (heading.indexOf(start) !== 0) return;
        if (!best || start.length > best[0] || (start.length === best[0] && name > best[1])) best = [start.length, name];
      });
    });
    return best && best[1];
  }
  // The row that numbers a published table's columns, "(1) (2) (3)" or "1 2 3": no IKU, as the
  // XLSX reader skips it (iku/xlsx.py, _column_numbers).
  function isColumnNumbers(cells) {
    var numbers = cells.map(function (cell) { return cell.trim(); }).filter(Boolean);
    return numbers.length >= 2 && numbers.every(function (text, index) {
      var match = /^\(?(\d{1,2})\)?$/.exec(text);
      return match !== null && Number(match[1]) === index + 1;
    });
  }

  // A heading of two lines puts the years under "Target" (the targets of 2025, 2026 and 2027 side by
  // side): the line of years is no IKU, and only the dossier year's target is the IKU's, as the XLSX
  // reader takes it (iku/xlsx.py, YEAR_CELL and _target_column). A paste without the heading line
  // above its years has only their line to go by: year -> column, or null.
  var YEAR = new RegExp("^(?:" + READER.year + ")$", "i");
  function yearOf(cell) {
    var match = YEAR.exec((cell || "").trim().replace(/^([12])\.(\d{3})$/, "$1$2"));
    return match && match[1];
  }
  function yearColumns(cells) {
    var years = {}, found = false, other = false;
    cells.forEach(function (cell, index) {
      if (!cell.trim()) return;
      var year = yearOf(cell);
      if (!year) other = true;
      else if (!(year in years)) { years[year] = index; found = true; }
    });
    return found && !other ? years : null;
  }
  // What is said of a paste's years: none of them the dossier's, or which of several was taken.
  function yearsNote(years) {
    var year = form.dataset.year, all = Object.keys(years).sort();
    if (!(year in years)) {
      return "Target tidak diisi: tabel yang ditempel memuat target tahun " + all.join(", ") + ", bukan tahun " + year + ", tahun dosier ini.";
    }
    return all.length > 1 ? "Tabel yang ditempel memuat target tahun " + all.join(", ") + ": diisi target tahun " + year + ", tahun dosier ini." : "";
  }
  // Each row's year columns as one Target cell: the dossier year's target, or none (and said why).
  function oneTarget(block, years) {
    var columns = Object.keys(years).map(function (y) { return years[y]; });
    var first = Math.min.apply(null, columns), kept = years[form.dataset.year];
    say(yearsNote(years));
    return block.map(function (cells) {
      var out = [];
      cells.forEach(function (value, index) {
        if (columns.indexOf(index) < 0) out.push(value);
        else if (index === first) out.push(kept === undefined ? "" : (cells[kept] || ""));
      });
      return out;
    });
  }
  function listed(items) {
    return items.length === 1 ? items[0] : items.slice(0, -1).join(", ") + " dan " + items[items.length - 1];
  }

  // Where the columns under a heading line go, read as the XLSX reader reads a file's header
  // (_columns_from_header, _target_span, _year_row, _target_column): each column into the grid
  // column its heading names wherever the paste began, as the table says what each column is.
  // A column named by no heading of the grid (Kondisi Awal, Realisasi) is left out and said: placed
  // by position it shifted every column after it. Years are read only under "Target" (a Target
  // spread over the blank headings after it, its years on the next line), or from headings such as
  // "Target 2027": the line of years also holds the year of Kondisi Awal, which is no target.
  // {places: column -> field, blank: fields emptied, skip: lines under the heading that are no
  // rows, note}; null when the heading names no grid column.
  function headedColumns(heading, next) {
    var places = {}, taken = {};
    heading.forEach(function (text, index) {
      var name = fieldOf(text, taken);
      if (name) { places[index] = name; taken[name] = index; }
    });
    if (!Object.keys(places).length) return null;
    var target = taken.target, span = target === undefined ? [] : [target];
    while (span.length && span[span.length - 1] + 1 < heading.length) {
      var after = span[span.length - 1] + 1;
      if ((heading[after] || "").trim() || after in places) break;
      span.push(after);
    }
    // The other cells of a line of years are the lower halves of headings merged over two lines.
    var years = {}, skip = 0;
    if (next && span.length && Object.keys(places).every(function (index) {
      return places[index] === "target" || !(next[index] || "").trim();
    })) {
      span.forEach(function (index) {
        var year = yearOf(next[index]);
        if (year && !(year in years)) years[year] = index;
      });
    }
    if (Object.keys(years).length) skip = 1;
    else if (target !== undefined) {
      heading.forEach(function (text, index) {
        var year = /^target/.test(normalHeading(text)) ? /(?:^|\D)((?:19|20)\d\d)(?!\d)/.exec(text) : null;
        if (year && !(year[1] in years)) years[year[1]] = index;
      });
    }
    var notes = [], blank = [];
    if (Object.keys(years).length) {
      delete places[target];
      var kept = years[form.dataset.year];
      if (kept === undefined) blank.push("target");
      else places[kept] = "target";
      notes.push(yearsNote(years));
    }
    var left = [];
    heading.forEach(function (text, index) {
      var name = text.replace(/[\s\u00a0]+/g, " ").trim();
      // A column numbering the rows is no column of the table, and no column left out.
      if (!name || index in places || span.indexOf(index) >= 0 || NUMBER_HEADING.test(normalHeading(name))) return;
      if (!/^target/.test(normalHeading(name))) left.push("\u201c" + name + "\u201d");
    });
    if (left.length) {
      notes.push("Kolom " + listed(left) + " tidak ditempel: judulnya bukan judul kolom tabel IKU. Bila isinya "
        + "termasuk IKU, salin kolom itu saja lalu tempel ke kolom tabel yang sesuai.");
    }
    return { places: places, blank: blank, skip: skip, note: notes.filter(Boolean).join(" ") };
  }

  var note = document.getElementById("catatan-tempel");
  function say(text) {
    note.textContent = text;
    note.hidden = !text;
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
    var heading = block.length > 1 && isHeading(block[0]) ? block.shift() : null;
    var headed = heading ? headedColumns(heading, block[0]) : null;
    var years = null;
    if (headed) block = block.slice(headed.skip);
    else {
      years = block.length > 1 ? yearColumns(block[0]) : null;
      if (years) block.shift();
    }
    if (block.length > 1 && isColumnNumbers(block[0])) block.shift();
    say(headed ? headed.note : "");
    if (years) block = oneTarget(block, years);
    var all = rows(), startRow = all.indexOf(area.closest("tr"));
    var missing = startRow + block.length - all.length;
    if (missing > 0) all = all.concat(addRows(missing));
    var filled = all.slice(startRow, startRow + block.length);
    block.forEach(function (cells, offset) {
      var areas = filled[offset].querySelectorAll("textarea");
      if (headed) {
        Object.keys(headed.places).forEach(function (column) {
          areas[fields.indexOf(headed.places[column])].value = (cells[column] || "").trim();
        });
        headed.blank.forEach(function (field) { areas[fields.indexOf(field)].value = ""; });
        return;
      }
      // A table's own "No" column, one cell more than the grid has, is not part of the IKU either.
      if (startField === 0 && cells.length > fields.length && /^\d*\.?$/.test(cells[0].trim())) cells = cells.slice(1);
      cells.forEach(function (value, column) {
        var target = areas[startField + column];
        if (target) target.value = value.trim();
      });
    });
    fitAreas(areasOf(filled));
  });

  // A send the server never answered (the proxy's "Server berhenti sebelum menjawab" or "terlalu
  // lama menjawab", a restart, the network down) leaves the browser's Back, which fills in only the
  // rows the page was made with: thirty pasted rows came back as seven. The rows are kept for this
  // tab as the page is left, and put back when Back or Forward (or signing in again) reaches the same
  // page made from the same table at the same position, for the same user: another user's page never
  // takes them. A page loaded any other way comes from the server, which holds what was saved; what
  // was kept is dropped.
  var KEPT = "sop-iku-isian:" + location.pathname;
  var SEEN = ["revision", "state", "tabel_versi", "tabel_draf", "tabel_skpd", "tabel_baris"];
  function seen() {
    return SEEN.map(function (name) { var input = form.elements[name]; return input ? input.value : ""; }).join("|");
  }
  function keep() {
    if (document.documentElement.hasAttribute("data-keluar")) return;  // signing out (static/js/proses.js)
    var note = form.elements.catatan;
    try {
      sessionStorage.setItem(KEPT, JSON.stringify({
        user: document.documentElement.dataset.user, seen: seen(), note: note ? note.value : null,
        rows: rows().map(function (tr) {
          return Array.prototype.map.call(tr.querySelectorAll("textarea"), function (area) { return area.value; });
        }),
      }));
    } catch (error) { /* storage refused or full: the browser's own Back is all there is */ }
  }
  form.addEventListener("submit", keep);
  window.addEventListener("pagehide", keep);
  // Put back once the browser has filled in what it keeps itself (after `load`, before `pageshow`),
  // so that it does not write over what was put back.
  window.addEventListener("pageshow", function putBack(event) {
    if (event.persisted) return;  // the page itself, kept whole
    var kept = null;
    try {
      kept = JSON.parse(sessionStorage.getItem(KEPT));
      sessionStorage.removeItem(KEPT);
    } catch (error) { return; }
    var navigation = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    // Or reached straight from the sign-in page: the session ended under the form, whose page said so,
    // and Back led to signing in again.
    var signedIn = false;
    try { signedIn = new URL(document.referrer).pathname === form.dataset.masuk; } catch (error) { /* none */ }
    if (!kept || !navigation || !(navigation.type === "back_forward" || (navigation.type === "navigate" && signedIn))) return;
    if (kept.user !== document.documentElement.dataset.user || kept.seen !== seen() || !Array.isArray(kept.rows)) return;
    var all = rows();
    if (kept.rows.length > all.length) all = all.concat(addRows(kept.rows.length - all.length));
    // Rows removed before leaving are left empty, which the server drops.
    all.forEach(function (tr, index) {
      var values = kept.rows[index] || [];
      tr.querySelectorAll("textarea").forEach(function (area, column) { area.value = values[column] || ""; });
    });
    if (kept.note !== null && form.elements.catatan) form.elements.catatan.value = kept.note;
    fitAll();
  }, { once: true });
})();
