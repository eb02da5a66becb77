// A block marked data-muat says a document is being prepared: fetch how far it has come every two
// seconds, until the answer no longer says so. Then the block is replaced in place (nothing typed
// elsewhere on the page is touched) by what data-ganti holds, or by the last answer; with
// data-selesai="muat-ulang" the whole page is loaded again instead (it now holds the document).
(function () {
  "use strict";
  // Every page loads this script: it tells the stylesheet that scripts run, so the controls only a
  // script drives (.js-only: the agency picker's search, the IKU grid's row tools) show, and the
  // hints for pages without one (.no-js) do not.
  document.documentElement.classList.add("js");
  var EVERY_MS = 2000;

  // The block put in the old one's place; a keyboard that was inside the old one (on its summary)
  // stays inside the new one instead of falling back to the top of the page.
  function swap(old, fresh) {
    var had = old.contains(document.activeElement);
    old.replaceWith(fresh);
    if (!had) { return; }
    var target = fresh.querySelector("summary, a[href], button, input, select, textarea") || fresh;
    if (target === fresh && !fresh.hasAttribute("tabindex")) { fresh.setAttribute("tabindex", "-1"); }
    target.focus();
  }

  // The session ended meanwhile (idle too long, or signed out in another tab): the app sends a
  // signed-out request to the sign-in page, whose first element (a <meta>) took the block's place
  // and the document vanished from the page. The block says so instead and asks no more.
  var SIGNED_OUT = "signed-out";
  var SIGNED_OUT_TEXT = "Sesi Anda telah berakhir (terlalu lama tidak aktif, atau Anda keluar di tab lain), jadi " +
    "naskah ini tidak dimuat lagi. Yang sudah Anda ketik di halaman ini tetap ada: bila Anda menekan tombolnya, " +
    "isian itu ditampilkan untuk disalin. Masuk lagi untuk melihat naskahnya.";

  function saySignedOut(block) {
    var line = block.classList.contains("proses") ? block : block.querySelector(".proses");
    if (line === null) { return; }
    var said = document.createElement("p");
    said.textContent = SIGNED_OUT_TEXT;
    line.classList.add("gagal");
    line.replaceChildren(said);
  }

  // The first element of the block `url` answers with; null when it answers nothing, undefined
  // when it refuses (403, 404), SIGNED_OUT when it sends to the sign-in page (these addresses
  // redirect nothing else). A network failure rejects.
  function fetchBlock(url) {
    return fetch(url, { credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.type === "opaqueredirect") { return SIGNED_OUT; }
        return response.ok ? response.text() : undefined;
      })
      .then(function (html) {
        if (html === undefined || html === SIGNED_OUT) { return html; }
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        return holder.firstElementChild;
      });
  }

  function poll(block) {
    window.setTimeout(function () {
      fetchBlock(block.getAttribute("data-muat"))
        .then(function (fresh) {
          if (fresh === undefined) { return; }  // refused or gone: stop
          if (fresh === SIGNED_OUT) {
            // A page loaded again when its block is done (a print's wait, the dossier page: nothing
            // typed on either) still is: the sign-in page brings the user back to it.
            if (block.getAttribute("data-selesai") === "muat-ulang") { window.location.reload(); } else { saySignedOut(block); }
            return;
          }
          if (fresh !== null && fresh.hasAttribute("data-muat")) {
            // Still under way: show the newer progress and ask again. A block that holds a progress
            // line (a document under review) keeps itself and takes the new line.
            var inner = block.querySelector(".proses");
            if (inner !== null && fresh.classList.contains("proses")) {
              fresh.removeAttribute("data-muat");
              swap(inner, fresh);
              poll(block);
            } else {
              ["data-selesai", "data-ganti"].forEach(function (name) {
                if (block.hasAttribute(name)) { fresh.setAttribute(name, block.getAttribute(name)); }
              });
              swap(block, fresh);
              poll(fresh);
            }
            return;
          }
          if (block.getAttribute("data-selesai") === "muat-ulang") {
            window.location.reload();
          } else if (block.hasAttribute("data-ganti")) {
            fetchBlock(block.getAttribute("data-ganti")).then(function (ready) {
              if (ready === SIGNED_OUT) { saySignedOut(block); } else if (ready) { swap(block, ready); }
            });
          } else if (fresh === null) {
            block.remove();
          } else {
            swap(block, fresh);
          }
        })
        // The network down a moment: try again.
        .catch(function () { poll(block); });
    }, EVERY_MS);
  }

  document.querySelectorAll("[data-muat]").forEach(poll);
})();

// Where the keyboard starts. A refused form opens at the summary of what must be fixed (read out by
// a screen reader), and a link there puts the cursor in the field it names. Else a page that opens
// with what the last action did ("Paraf diberikan", "Dosier dibuat") starts there: a status present
// when the page loads is not announced. Neither over a field the page starts in, nor an address's #.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#'], .warning-summary a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    history.replaceState(history.state, "", link.getAttribute("href"));
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });
  // A form sent to its own place on the page (a row of the provincial IKU table, #baris-N) and refused
  // there opens at that place, the cursor in its first refused field: a browser ignores autofocus on an
  // address with a #, and the keyboard was left at the top of the page. Once the page is loaded: until
  // then Chromium, scrolling to the #, takes the focus off whatever is not the # itself.
  if (location.hash) {
    var place = document.getElementById(location.hash.slice(1));
    var refused = place && place.querySelector("[aria-invalid='true']");
    if (refused) {
      window.addEventListener("load", function () { refused.focus(); }, { once: true });
    }
    return;
  }
  var summary = document.getElementById("ringkasan-kesalahan");
  var said = document.getElementById("pesan");
  if (summary) {
    summary.focus();
  } else if (said && !document.querySelector("[autofocus]")) {
    said.focus();
  }
})();

// Signing out drops every form kept in this tab for Back (static/js/iku_grid.js): the next user of a
// shared computer finds nothing of the last one's, even in this tab's history.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute("data-keluar")) { return; }
    document.documentElement.setAttribute("data-keluar", "");
    try {
      Object.keys(sessionStorage).forEach(function (key) {
        if (key.indexOf("sop-iku-isian:") === 0) { sessionStorage.removeItem(key); }
      });
    } catch (error) { /* storage refused: nothing was kept either */ }
  });
})();

// A page reached again by Back or Forward comes anew from the server, for whoever is signed in now,
// and the browser fills its forms with what was typed in them last time, whoever typed it: on a
// shared computer one officer's note or table went into the next officer's form, to be sent under
// their name. Each page is marked in the tab's history with its user; reached again under another
// user (or none), its forms are set back to what the server sent. The same user's typing stays.
(function () {
  "use strict";
  var user = document.documentElement.getAttribute("data-user") || "";
  var state = history.state !== null && typeof history.state === "object" ? history.state : {};
  var navigation = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  if (navigation && navigation.type === "back_forward" && typeof state.pengguna === "string" && state.pengguna !== user) {
    // The browser fills the forms in after `load`, just before `pageshow`.
    window.addEventListener("pageshow", function () {
      Array.prototype.forEach.call(document.forms, function (form) { form.reset(); });
    }, { once: true });
  }
  try {
    history.replaceState(Object.assign({}, state, { pengguna: user }), "");
  } catch (error) { /* a history the browser will not write to: nothing to compare next time */ }
})();

// The phone's Menu (base.html) closes with Escape, as a menu does, from its button or any link of the
// nav it opened, and the keyboard goes back to the button: a details closes only from its summary,
// and a keyboard (or a desktop zoomed to 200%, which shows the Menu too) was left in an open menu.
(function () {
  "use strict";
  var menu = document.querySelector("header details.menu");
  var nav = document.getElementById("menu-utama");
  if (!menu || !nav) { return; }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !menu.open) { return; }
    if (!menu.contains(document.activeElement) && !nav.contains(document.activeElement)) { return; }
    menu.open = false;
    menu.querySelector("summary").focus();
  });
})();
