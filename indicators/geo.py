"""The district map: which map feature is which unit.

The vendored map (echarts 4.9's Chongqing province) still names 梁平 and 武隆 by their old county
codes (500228 梁平县, 500232 武隆县), so features are joined to units through their codes and the
units' old codes (UnitCodeAlias), never through names. Functional zones have no feature.
"""
import json
from functools import lru_cache

from django.contrib.staticfiles import finders

from districts.models import Unit

MAP_FILE = "vendor/echarts-map/chongqing.json"


@lru_cache(maxsize=1)
def map_features() -> tuple[tuple[str, str], ...]:
    """(feature id, feature name) of every feature in the map file."""
    with open(finders.find(MAP_FILE), encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return tuple((str(f["id"]), f["properties"]["name"]) for f in features)


def feature_names_by_unit() -> dict[int, str]:
    """Unit id -> the name of its map feature, for the units the map has."""
    by_code = {}
    for unit in Unit.objects.prefetch_related("aliases"):
        by_code[unit.code] = unit.pk
        for alias in unit.aliases.all():
            by_code.setdefault(alias.code, unit.pk)
    return {by_code[code]: name for code, name in map_features() if code in by_code}
