"""Sourced, dated maps of military deployments: data core, imports, drawing, web map, exports and command line."""
