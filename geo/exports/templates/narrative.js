/* Beside the offline map: the guided story (#story=N) and the seed document with its claims; data shown as text only. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("geo-data").textContent).narrative || {};
  var geo = window.geoExport;
  if (!data.seed && !(data.story && data.story.length)) { return; }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function sourceList(sources) {
    var list = el("ol", null, "sources");
    sources.forEach(function (source) {
      var item = el("li"), link;
      if (/^https?:\/\//.test(source.url || "")) {
        link = el("a", source.title);
        link.href = source.url; link.target = "_blank"; link.rel = "noopener noreferrer";
        item.appendChild(link);
      } else { item.textContent = source.title; }
      list.appendChild(item);
    });
    return list;
  }

  function rowList(rows) {
    var list = el("ul");
    rows.forEach(function (row) {
      var item = el("li");
      item.appendChild(el("b", row.day ? row.day + " " : ""));
      item.appendChild(document.createTextNode(row.title));
      item.appendChild(sourceList(row.sources));
      list.appendChild(item);
    });
    return list;
  }

  var aside = el("aside"); aside.id = "geo-narrative";
  document.body.appendChild(aside);
  document.body.classList.add("geo-with-narrative");
  geo.map.invalidateSize();

  var story = data.story || [], rings = L.layerGroup().addTo(geo.map), storyBox = el("section");
  storyBox.id = "geo-story";
  aside.appendChild(storyBox);

  function ring(step) {
    rings.clearLayers();
    var day = geo.toDay(step.day);
    geo.items.forEach(function (item) {
      var on = (item.start === null || item.start <= day) && (item.end === null || day < item.end);
      if (on && step.features.indexOf(item.id) >= 0 && item.drawn.getLatLng) {
        rings.addLayer(L.circleMarker(item.drawn.getLatLng(), data.ring));
      }
    });
  }

  function openStep(number) {
    var step = story[number - 1];
    if (!step) { return; }
    storyBox.textContent = "";
    storyBox.appendChild(el("h2", "Story, step " + step.number + " of " + story.length + ": " + step.title));
    [["\u25C0 Previous", step.number - 1], ["Next \u25B6", step.number + 1]].forEach(function (pair) {
      var button = el("button", pair[0]);
      button.type = "button"; button.disabled = !story[pair[1] - 1];
      button.setAttribute("data-story", String(pair[1]));
      button.addEventListener("click", function () { window.location.hash = "story=" + pair[1]; });
      storyBox.appendChild(button);
    });
    storyBox.appendChild(el("p", step.text));
    storyBox.appendChild(el("div", "Sources:"));
    storyBox.appendChild(sourceList(step.sources));
    if (step.highlighted.length) { storyBox.appendChild(el("div", "Highlighted:")); storyBox.appendChild(rowList(step.highlighted)); }
    geo.show(geo.toDay(step.day));
    geo.map.setView(step.center, step.zoom);
    ring(step);
    document.body.setAttribute("data-story", String(step.number));
  }

  function startButton() {
    var button = el("button", "Tell the story");
    button.type = "button";
    button.addEventListener("click", function () { window.location.hash = "story=1"; });
    storyBox.appendChild(button);
  }

  function fromHash() {
    var match = /^#story=(\d+)$/.exec(window.location.hash);
    if (match && story[Number(match[1]) - 1]) { openStep(Number(match[1])); }
  }

  function seedPanel(seed) {
    var box = el("section");
    box.id = "geo-seed";
    box.appendChild(el("h2", "The seed article"));
    box.appendChild(el("div", seed.title));
    if (seed.errata) { box.appendChild(el("p", "Errata: " + seed.errata, "errata")); }
    box.appendChild(markedText(seed.text, seed.claims));
    seed.claims.forEach(function (claim) { box.appendChild(claimEntry(claim)); });
    return box;
  }

  function markedText(text, claims) {
    var box = el("div", null, "seed-text"), at = 0;
    claims.map(function (claim) { return [text.indexOf(claim.quote), claim]; })
      .filter(function (pair) { return pair[0] >= 0 && pair[1].quote; })
      .sort(function (a, b) { return a[0] - b[0]; })
      .forEach(function (pair) {
        if (pair[0] < at) { return; }
        box.appendChild(document.createTextNode(text.slice(at, pair[0])));
        box.appendChild(el("mark", pair[1].quote));
        box.appendChild(el("sup", pair[1].id));
        at = pair[0] + pair[1].quote.length;
      });
    box.appendChild(document.createTextNode(text.slice(at)));
    return box;
  }

  function claimEntry(claim) {
    var box = el("div", null, "claim"), button;
    box.setAttribute("data-claim", claim.id);
    box.appendChild(el("b", claim.id + " "));
    box.appendChild(document.createTextNode(claim.claim));
    box.appendChild(el("blockquote", claim.quote));
    box.appendChild(rowList(claim.rows));
    if (claim.day) {
      button = el("button", "Show " + claim.day + " on the map");
      button.type = "button";
      button.addEventListener("click", function () { geo.show(geo.toDay(claim.day)); });
      box.appendChild(button);
    }
    return box;
  }

  if (story.length) { startButton(); }
  if (data.seed) { aside.appendChild(seedPanel(data.seed)); }
  window.addEventListener("hashchange", fromHash);
  fromHash();
}());
