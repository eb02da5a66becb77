// The agency picker of a new dossier: search by name or abbreviation, tick or clear all (or all shown), tick a whole
// group, and a count of what is ticked. Without JavaScript the grouped checkboxes work as they are.
(function () {
  "use strict";
  var picker = document.querySelector("[data-skpd-picker]");
  if (!picker) return;
  var search = picker.querySelector("[data-skpd-search]");
  var count = picker.querySelector("[data-skpd-count]");
  var boxes = function (scope) {
    return Array.prototype.slice.call((scope || picker).querySelectorAll("input[type=checkbox]"));
  };
  var shown = function (box) { return !box.closest("[data-skpd-item]").hidden; };

  function recount() {
    var ticked = boxes().filter(function (b) { return b.checked; }).length;
    count.textContent = ticked + " dari " + boxes().length + " SKPD dipilih.";
  }
  function tick(list, value) {
    list.filter(shown).forEach(function (b) { b.checked = value; });
    recount();
  }
  function filter() {
    var words = search.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
    picker.querySelectorAll("[data-skpd-item]").forEach(function (item) {
      // The abbreviation and official name too: clerks type "dinkes" for Dinas Kesehatan.
      var name = (item.textContent + " " + item.getAttribute("data-skpd-names")).toLowerCase();
      item.hidden = !words.every(function (w) { return name.indexOf(w) !== -1; });
    });
    picker.querySelectorAll("[data-skpd-group]").forEach(function (group) {
      group.hidden = !group.querySelector("[data-skpd-item]:not([hidden])");
    });
  }
  search.addEventListener("input", filter);
  // Enter in the search box must not send the whole form.
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
  picker.querySelector("[data-skpd-all]").addEventListener("click", function () { tick(boxes(), true); });
  picker.querySelector("[data-skpd-none]").addEventListener("click", function () { tick(boxes(), false); });
  picker.querySelectorAll("[data-skpd-group-all]").forEach(function (button) {
    button.addEventListener("click", function () { tick(boxes(button.closest("[data-skpd-group]")), true); });
  });
  picker.addEventListener("change", recount);
  recount();
})();
