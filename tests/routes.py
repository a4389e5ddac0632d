"""The app's routes as a test sees them: each variable of a rule with its converter.

Built from the rule's own text and the URL map's public converter table, so the tests
don't depend on Werkzeug's private attributes.
"""

import re

from werkzeug.routing import BaseConverter, Map, Rule, parse_converter_args

_VARIABLE = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_]\w*)(?:\((?P<args>.*?)\))?:)?(?P<name>[a-zA-Z_]\w*)>"
)


def converters(url_map: Map, rule: Rule) -> dict[str, BaseConverter]:
    """Map each variable of `rule` to an instance of its converter."""
    result = {}
    for match in _VARIABLE.finditer(rule.rule):
        converter = url_map.converters[match["converter"] or "default"]
        args, kwargs = parse_converter_args(match["args"]) if match["args"] else ((), {})
        result[match["name"]] = converter(url_map, *args, **kwargs)
    return result
