/* Offline timeline map: shows each feature only while day is in [start, end); features that are only possibly there
   (inside an uncertain start or end window) carry u = 1 and their own hollow style. */
(function () {
  "use strict";
  var DAY_MS = 86400000;
  var data = JSON.parse(document.getElementById("geo-data").textContent);

  function toDay(iso) { return iso === null ? null : Math.round(Date.parse(iso + "T00:00:00Z") / DAY_MS); }
  function toIso(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }

  var map = L.map("map", { zoomSnap: 0.5 }).setView(data.center, data.zoom);
  L.control.scale().addTo(map);
  map.attributionControl.addAttribution("Boundaries: Natural Earth; dataset " + data.version.replace(/[^\w.-]/g, ""));

  function draw(feature) {
    var geometry = data.geometries[feature.g];
    var drawn = geometry.type === "Point"
      ? L.circleMarker([geometry.coordinates[1], geometry.coordinates[0]], feature.style)
      : L.geoJSON(geometry, { style: function () { return feature.style; } });
    if (feature.tooltip) { drawn.bindTooltip(feature.tooltip); }
    drawn.bindPopup(feature.popup, { maxWidth: 360 });
    return drawn;
  }

  var items = [], overlays = {};
  data.layers.forEach(function (layer) {
    var group = L.layerGroup().addTo(map);
    overlays[layer.title] = group;
    layer.features.forEach(function (feature) {
      items.push({ id: feature.id, layer: layer.name, group: group, drawn: draw(feature),
                   start: toDay(feature.s), end: toDay(feature.e), possible: feature.u === 1 });
    });
  });
  L.control.layers(null, overlays, { collapsed: true }).addTo(map);

  var first = toDay(data.start), last = toDay(data.end);
  var changes = items.reduce(function (days, item) {
    [item.start, item.end].forEach(function (d) { if (d !== null && d > first && d <= last) { days.push(d); } });
    return days;
  }, [first, last]).sort(function (a, b) { return a - b; });

  var panel = L.control({ position: "bottomleft" });
  var slider, output, playButton, timer = null;
  panel.onAdd = function () {
    var div = L.DomUtil.create("div", "geo-panel geo-timeline");
    div.innerHTML = '<button type="button" data-step="-1" title="previous change">&#9664;</button>' +
      '<button type="button" data-play title="play">&#9654;&#xFE0E; Play</button>' +
      '<button type="button" data-step="1" title="next change">&#9654;</button>' +
      '<input type="range" aria-label="day"><output></output>';
    slider = div.querySelector("input");
    output = div.querySelector("output");
    playButton = div.querySelector("[data-play]");
    slider.min = first; slider.max = last; slider.step = 1;
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  panel.addTo(map);

  function show(day) {
    day = Math.min(last, Math.max(first, day));
    var visible = 0, possible = 0;
    items.forEach(function (item) {
      var on = (item.start === null || item.start <= day) && (item.end === null || day < item.end);
      if (on && !item.group.hasLayer(item.drawn)) { item.group.addLayer(item.drawn); }
      if (!on && item.group.hasLayer(item.drawn)) { item.group.removeLayer(item.drawn); }
      if (on) { visible += 1; }
      if (on && item.possible) { possible += 1; }  /* drawn hollow and dotted by its precomputed style */
    });
    slider.value = day;
    output.textContent = toIso(day);
    document.body.setAttribute("data-day", toIso(day));
    document.body.setAttribute("data-visible", String(visible));
    document.body.setAttribute("data-possible", String(possible));
  }

  function step(direction) {
    var day = Number(slider.value);
    var next = direction > 0 ? changes.find(function (d) { return d > day; })
      : changes.slice().reverse().find(function (d) { return d < day; });
    show(next === undefined ? day : next);
  }

  function play() {
    if (timer !== null) { clearInterval(timer); timer = null; playButton.textContent = "\u25B6\uFE0E Play"; return; }
    if (Number(slider.value) >= last) { show(first); }
    playButton.textContent = "\u23F8\uFE0E Pause";
    timer = setInterval(function () {
      show(Number(slider.value) + 3);
      if (Number(slider.value) >= last) { play(); }
    }, 120);
  }

  slider.addEventListener("input", function () { show(Number(slider.value)); });
  panel.getContainer().querySelectorAll("[data-step]").forEach(function (button) {
    button.addEventListener("click", function () { step(Number(button.getAttribute("data-step"))); });
  });
  playButton.addEventListener("click", play);

  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "geo-panel geo-legend");
    div.innerHTML = data.legend;  /* built and escaped in Python */
    return div;
  };
  legend.addTo(map);

  var hash = toDay(window.location.hash.slice(1) || null);
  show(hash !== null && !isNaN(hash) ? hash : toDay(data.day));
  window.geoExport = { show: show, step: step, items: items, toIso: toIso, toDay: toDay, map: map };
}());
