"""The map layers, in drawing order: each module has NAME, TITLE, TIME_DEPENDENT and build(dataset, *, day)."""

from __future__ import annotations

from types import ModuleType

from layers import copresence, countries, deployments, events, movements, regions, sites, towns

REGISTRY: dict[str, ModuleType] = {
    module.NAME: module
    for module in (countries, regions, towns, sites, movements, copresence, deployments, events)
}
