// The archive's SKPD filter: the search box before its select keeps in the select only the agencies
// whose name, official name or abbreviation holds every word typed ("dinkes" leaves Dinas Kesehatan),
// and chooses the one left, so that Enter (a phone's Search key) lists its dossiers. Options are taken
// out, not hidden: a phone's picker (iOS) lists hidden options all the same. Without JavaScript the
// box is not shown (.js-only) and the select works as it is.
(function () {
  "use strict";
  var search = document.querySelector("[data-skpd-search]");
  var select = search && document.getElementById(search.getAttribute("aria-controls"));
  if (!select) return;
  var said = document.querySelector("[data-skpd-found]");
  var every = Array.prototype.slice.call(select.options);
  var agencies = every.filter(function (option) { return option.value; });
  var names = function (option) {
    return (option.text + " " + (option.getAttribute("data-skpd-names") || "")).toLowerCase();
  };

  function words() { return search.value.toLowerCase().trim().split(/\s+/).filter(Boolean); }

  function filter() {
    var typed = words();
    var chosen = select.value;
    var found = agencies.filter(function (option) {
      var name = names(option);
      return typed.every(function (word) { return name.indexOf(word) !== -1; });
    });
    select.textContent = "";
    // "Semua SKPD" stays first, for a clerk who wants the filter gone.
    every.filter(function (option) { return !option.value || found.indexOf(option) !== -1; })
      .forEach(function (option) { select.appendChild(option); });
    if (typed.length && found.length === 1) {
      select.value = found[0].value;
    } else {
      select.value = found.some(function (option) { return option.value === chosen; }) ? chosen : "";
    }
    said.textContent = !typed.length ? "" : found.length === 0 ? "Tidak ada SKPD yang cocok."
      : found.length === 1 ? "1 SKPD cocok, terpilih." : found.length + " SKPD cocok: pilih di SKPD.";
  }
  search.addEventListener("input", filter);
  // Enter sends the filter once one agency is chosen by it; before, it would list every agency's
  // dossiers while the box still shows a word.
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && words().length && !select.value) e.preventDefault();
  });
  // Typed before this deferred script ran: filtered as if typed now.
  if (search.value) filter();
})();
