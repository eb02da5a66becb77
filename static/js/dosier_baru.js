// A round's year and title, on the new-dossier page and the correction of title and year: the title
// follows the year until it is edited by hand (the prefilled title becomes the new year's; a title
// naming the old year as "Tahun 2027" names the new one), and the warning about rounds already opened
// for the year follows the year (the page asks for itself with ?tahun=, the server says which).
// Without JavaScript the server moves a prefilled title and refuses a title naming another year.
(function () {
  "use strict";
  var year = document.getElementById("id_tahun");
  var title = document.getElementById("id_judul");
  if (!year || !title) return;
  var pattern = title.getAttribute("data-title-pattern");
  var prefilled = function (value) { return pattern.replace("{tahun}", value); };
  // The year and title the page was made with, not what is in the fields now: a deferred script runs
  // once the page has arrived, and a hand quick or a network slow has typed into them by then.
  var shownYear = year.defaultValue.trim();
  var byHand = title.value !== title.defaultValue && title.value !== prefilled(shownYear);
  // Edited back to the prefilled title of the year shown, it follows again.
  title.addEventListener("input", function () { byHand = title.value !== prefilled(shownYear); });

  function followed(from, to) {
    if (title.value === prefilled(from)) return prefilled(to);
    return title.value.replace(new RegExp("(\\btahun\\s+)" + from + "\\b", "gi"), "$1" + to);
  }

  var asked = 0;
  function warning(value) {
    var mine = ++asked;
    fetch("?tahun=" + encodeURIComponent(value), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) {
        if (mine !== asked) return;  // a later year was typed meanwhile
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-same-year]");
        var shown = document.querySelector("[data-same-year]");
        if (fresh && shown) shown.innerHTML = fresh.innerHTML;
      })
      .catch(function () { /* the server asks again when the form is sent */ });
  }
  function yearTyped() {
    var value = year.value.trim();
    if (!/^\d{4}$/.test(value)) return;
    if (!byHand && /^\d{4}$/.test(shownYear)) title.value = followed(shownYear, value);
    shownYear = value;
    warning(value);
  }
  year.addEventListener("input", yearTyped);
  // A year typed before this script ran is followed as if typed now: the title left on the old year
  // was refused by the server, and the warning said nothing of the year typed.
  if (year.value.trim() !== shownYear) yearTyped();
})();
