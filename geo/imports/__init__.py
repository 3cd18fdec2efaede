"""Analysts' own files (CSV/TSV, GeoJSON, GeoPackage, KML, zipped Shapefile) read as dated layers."""
