"""geo.imports.sniff: KML network links anywhere in the file are refused before GDAL opens it."""

from __future__ import annotations

import time

import pytest

from geo.imports.common import ImportProblem
from geo.imports.reader import read_layer
from tests.hostile import deep_geojson, links_kml


def test_a_kml_full_of_network_links_is_refused_in_seconds(tmp_path):
    start = time.perf_counter()
    with pytest.raises(ImportProblem) as caught:
        read_layer(links_kml(tmp_path))
    assert str(caught.value) == ("links.kml, row 1: got '100,000 network link(s)': expected a KML document without "
                                 "<NetworkLink> elements (they load other documents, which is refused)")
    assert time.perf_counter() - start < 5


def test_a_namespaced_link_after_the_first_bytes_counts(tmp_path):
    path = tmp_path / "late.kml"
    path.write_text('<kml xmlns="http://www.opengis.net/kml/2.2">' + " " * 100_000
                    + "\n<kml:NetworkLink><Link><href>x.kml</href></Link></kml:NetworkLink></kml>")
    with pytest.raises(ImportProblem, match="1 network link"):
        read_layer(path)


def test_deep_geojson_is_refused_by_gdal_in_seconds(tmp_path):
    start = time.perf_counter()
    with pytest.raises(ImportProblem, match="Too many nested objects and/or arrays"):
        read_layer(deep_geojson(tmp_path))
    assert time.perf_counter() - start < 5
