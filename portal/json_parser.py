"""The JSON parser of every API endpoint (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES): DRF's, with a depth limit.

A module of its own: DRF reads the setting while defining APIView, before portal.api_errors can be imported.
"""
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No request of ours nests deeper than a few levels ({"rows": [{...}]}); deeper is hostile or a mistake.
MAX_JSON_DEPTH = 20


class DepthLimitedJsonParser(JSONParser):
    """DRF's strict JSON (NaN and Infinity refused, invalid UTF-8 refused), nested at most MAX_JSON_DEPTH deep.

    Python's decoder raises RecursionError, not a ValueError, on a body of a thousand nested arrays, and
    a body just under that depth overflows whatever walks it next: both are a 400 here."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            too_deep = _deeper_than(data, MAX_JSON_DEPTH)
        except RecursionError:
            too_deep = True
        if too_deep:
            raise ParseError(f"JSON 嵌套超过 {MAX_JSON_DEPTH} 层")
        return data


def _deeper_than(data, limit: int) -> bool:
    """Whether lists and dicts in `data` nest more than `limit` deep (walked without recursion)."""
    level = [data]
    for _depth in range(limit + 1):
        level = [child for item in level if isinstance(item, (list, dict))
                 for child in (item.values() if isinstance(item, dict) else item)]
        if not level:
            return False
    return True
