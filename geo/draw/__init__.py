"""How a feature looks wherever it is drawn: styles, tooltips, popups and the offline Leaflet assets."""
