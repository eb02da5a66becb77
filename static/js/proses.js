// A block marked data-muat says a document is being prepared: fetch how far it has come every two
// seconds, until the answer no longer says so. Then the block is replaced in place (nothing typed
// elsewhere on the page is touched) by what data-ganti holds, or by the last answer; with
// data-selesai="muat-ulang" the whole page is loaded again instead (it now holds the document).
(function () {
  "use strict";
  var EVERY_MS = 2000;

  function poll(block) {
    window.setTimeout(function () {
      fetch(block.getAttribute("data-muat"), { credentials: "same-origin" })
        // Refused or gone (403, 404): stop; the network down a moment: try again.
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var fresh = holder.firstElementChild;
          if (fresh !== null && fresh.hasAttribute("data-muat")) {
            // Still under way: show the newer progress and ask again. A block that holds a progress
            // line (a document under review) keeps itself and takes the new line.
            var inner = block.querySelector(".proses");
            if (inner !== null && fresh.classList.contains("proses")) {
              fresh.removeAttribute("data-muat");
              inner.replaceWith(fresh);
              poll(block);
            } else {
              ["data-selesai", "data-ganti"].forEach(function (name) {
                if (block.hasAttribute(name)) { fresh.setAttribute(name, block.getAttribute(name)); }
              });
              block.replaceWith(fresh);
              poll(fresh);
            }
            return;
          }
          if (block.getAttribute("data-selesai") === "muat-ulang") {
            window.location.reload();
          } else if (block.hasAttribute("data-ganti")) {
            swap(block, block.getAttribute("data-ganti"));
          } else if (fresh === null) {
            block.remove();
          } else {
            block.replaceWith(fresh);
          }
        })
        .catch(function () { poll(block); });
    }, EVERY_MS);
  }

  function swap(block, url) {
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        if (holder.firstElementChild !== null) { block.replaceWith(holder.firstElementChild); }
      });
  }

  document.querySelectorAll("[data-muat]").forEach(poll);
})();
