"""The map layers in drawing order, each a module following geo.data.contract.Layer; REGISTRY lists them."""

from __future__ import annotations

from geo.data.contract import Layer
from layers import copresence, countries, deployments, events, figures, movements, regions, sites, towns

# A new layer is one module and one entry here, in drawing order.
LAYERS: tuple[Layer, ...] = (countries, regions, towns, sites, movements, copresence, deployments, figures, events)
REGISTRY: dict[str, Layer] = {layer.NAME: layer for layer in LAYERS}
