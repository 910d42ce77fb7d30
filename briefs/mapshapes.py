"""The district map as polygons for the PDF, from the same vendored file the overview's map draws.

The file stores coordinates in ECharts' compressed form (`UTF8Encoding`): each ring is a string of
character pairs, zigzag- and delta-encoded from the ring's `encodeOffsets`, scaled by 1024.
"""
import json
from functools import lru_cache

from django.contrib.staticfiles import finders

from indicators.geo import MAP_FILE

SCALE = 1024

Ring = list[tuple[float, float]]


def decode_ring(text: str, offset: list[int]) -> Ring:
    x, y = offset
    points = []
    for i in range(0, len(text) - 1, 2):
        dx, dy = ord(text[i]) - 64, ord(text[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        points.append((x / SCALE, y / SCALE))
    return points


@lru_cache(maxsize=1)
def map_shapes() -> dict[str, list[Ring]]:
    """Feature name -> its rings (longitude, latitude), outer rings and holes alike."""
    with open(finders.find(MAP_FILE), encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    shapes = {}
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        offsets = geometry["encodeOffsets"] if geometry["type"] == "MultiPolygon" else [geometry["encodeOffsets"]]
        shapes[feature["properties"]["name"]] = [
            decode_ring(ring, offset)
            for polygon, polygon_offsets in zip(polygons, offsets, strict=True)
            for ring, offset in zip(polygon, polygon_offsets, strict=True)
        ]
    return shapes
