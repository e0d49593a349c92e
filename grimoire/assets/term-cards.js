// Hover cards for term links: on hover or keyboard focus of a link marked
// `a.grimoire-term`, show the term's summary and typeset defining formula,
// taken from the <template id="grimoire-card-SLUG"> the build put on the page.
// Equation references (`a.grimoire-eqref`) name their template in data-card.
// Citation links (`a.grimoire-cite`) show the full reference the same way,
// taken from the entry they point to in the page's References section.
// No dependencies; works on any static host and offline.
(function () {
  "use strict";
  var card = null;
  var owner = null;
  var hideTimer = 0;

  function termLink(node) {
    return node && node.closest ? node.closest("a.grimoire-term, a.grimoire-eqref, a.grimoire-cite") : null;
  }

  function ensureCard() {
    if (card) return card;
    card = document.createElement("div");
    card.id = "grimoire-card";
    card.className = "grimoire-card md-typeset";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    card.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    card.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(card);
    return card;
  }

  function place(link, box) {
    var r = link.getBoundingClientRect();
    var width = Math.min(420, document.documentElement.clientWidth - 16);
    box.style.maxWidth = width + "px";
    var left = Math.min(r.left, document.documentElement.clientWidth - width - 8);
    box.style.left = window.scrollX + Math.max(8, left) + "px";
    box.style.top = window.scrollY + r.bottom + 6 + "px";
  }

  function cardContent(link) {
    if (link.dataset.cite !== undefined) {
      var entry = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      var text = entry && entry.querySelector(".grimoire-ref__text");
      if (!text) return null;
      var p = document.createElement("p");
      p.className = "grimoire-card__summary";
      p.appendChild(text.cloneNode(true));
      return p;
    }
    var template = document.getElementById(link.dataset.card || "grimoire-card-" + link.dataset.term);
    return template ? template.content.cloneNode(true) : null;
  }

  function show(link) {
    var content = cardContent(link);
    if (!content) return;
    var box = ensureCard();
    clearTimeout(hideTimer);
    if (owner && owner !== link) owner.removeAttribute("aria-describedby");
    box.replaceChildren(content);
    box.hidden = false;
    owner = link;
    link.setAttribute("aria-describedby", box.id);
    place(link, box);
  }

  function hide() {
    clearTimeout(hideTimer);
    if (card) card.hidden = true;
    if (owner) owner.removeAttribute("aria-describedby");
    owner = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 200);
  }

  document.addEventListener("mouseover", function (event) {
    var link = termLink(event.target);
    if (link) show(link);
  });
  document.addEventListener("mouseout", function (event) {
    var link = termLink(event.target);
    if (link && !link.contains(event.relatedTarget)) scheduleHide();
  });
  document.addEventListener("focusin", function (event) {
    var link = termLink(event.target);
    if (link) show(link);
  });
  document.addEventListener("focusout", function (event) {
    if (termLink(event.target)) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
})();
