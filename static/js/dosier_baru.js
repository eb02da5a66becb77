// The new dossier's year and title: the prefilled title follows the year until it is edited by hand,
// and the warning about rounds already opened for the year follows the year (the page asks for itself
// with ?tahun=, the server says which). Without JavaScript the server does both when the form is sent.
(function () {
  "use strict";
  var year = document.getElementById("id_tahun");
  var title = document.getElementById("id_judul");
  if (!year || !title) return;
  var pattern = title.getAttribute("data-title-pattern");
  var prefilled = function (value) { return pattern.replace("{tahun}", value); };
  var followed = title.value === prefilled(year.value);
  title.addEventListener("input", function () { followed = title.value === prefilled(year.value); });

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
  year.addEventListener("input", function () {
    var value = year.value.trim();
    if (!/^\d{4}$/.test(value)) return;
    if (followed) title.value = prefilled(value);
    warning(value);
  });
})();
