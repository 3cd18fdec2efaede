/* The day's map drawn in the map's frame as soon as the page's slider moves, before the server's rerun sends the
   same groups (geo/web/preview.py). window.geoTimeline holds each time-dependent layer's rows [feature_id, start,
   end, actors, feature], filtered here as geo.web.daymap.day_rows filters them: start <= day < end (missing: open),
   and one of the chosen forces. window.geoDayShown, set by each rerun, says what the server drew. */
(function () {
  "use strict";
  var timeline = window.geoTimeline;
  /* The same Leaflet options as geo.web.elements.FeatureLayer: the server's groups and these draw alike. */
  var options = {
    pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, feature.properties.style); },
    style: function (feature) { return feature.properties.style; },
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(feature.properties.tooltip, {sticky: true});
      layer.bindPopup(feature.properties.popup, {maxWidth: 360});
    }
  };

  function rows(name, day, actors) {
    return (timeline[name] || []).filter(function (row) {
      return (row[1] === null || row[1] <= day) && (row[2] === null || day < row[2]) &&
        (row[3] === null || row[3].some(function (actor) { return actors.indexOf(actor) >= 0; }));
    });
  }

  /* Replace the shown day's groups by the given day's; later groups (an analyst's points, a story's rings) are
     brought back on top. The next rerun's message removes every group in window.feature_group, these too. */
  function draw(day) {
    var shown = window.geoDayShown, groups = window.feature_group;
    if (!shown || !groups || !window.map || day === (shown.drawn || shown.day)) { return; }
    var fresh = shown.layers.map(function (name) {
      var features = rows(name, day, shown.actors).map(function (row) { return row[4]; });
      return L.featureGroup([L.geoJson({type: "FeatureCollection", features: features}, options)]);
    });
    groups.splice.apply(groups, [shown.first, fresh.length].concat(fresh)).forEach(function (group) {
      window.map.removeLayer(group);
    });
    fresh.forEach(function (group) { group.addTo(window.map); });
    groups.slice(shown.first + fresh.length).forEach(function (group) {
      if (group.bringToFront) { group.bringToFront(); }
    });
    shown.drawn = day;
  }

  function dayOf(input) {
    return new Date(Number(input.value) / 1000).toISOString().slice(0, 19);
  }

  /* After a rerun's groups: if the slider has already moved on, draw its day again rather than the older one. */
  function follow() {
    var input = page.querySelector(window.geoPreviewSlider);
    if (input) { draw(dayOf(input)); }
  }

  var page = null;
  try { page = window.parent.document; } catch (error) { return; }  /* not inside the app's page */
  new MutationObserver(function (records) {
    var moved = records.filter(function (record) { return record.target.matches(window.geoPreviewSlider); });
    if (moved.length) { draw(dayOf(moved[moved.length - 1].target)); }
  }).observe(page.body, {attributes: true, attributeFilter: ["value"], subtree: true});
  window.geoPreview = {rows: rows, draw: draw, follow: follow};
}());
