"""Register text inside a map's script: data only, never markup or code.

Values travel as JSON whose every character that could end a <script> element, open a
template-literal substitution or start markup is written as a \\u escape; the map's own
script (static/sanqu-map.js) puts them on screen with textContent, never innerHTML.
"""

import json
import math

_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "`": "\\u0060",
    "$": "\\u0024",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _clean(obj):
    if isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj)):
        return None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    return obj


def js_json(obj) -> str:
    """JSON that is inert anywhere in a script, a template literal or an HTML page."""
    try:  # the usual case: nothing to clean, no second pass over the data
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # NaN or infinity somewhere: write null there
        text = json.dumps(_clean(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, escape in _ESCAPES.items():  # str.replace per character beats str.translate on large text
        text = text.replace(ch, escape)
    return text


def js_parsed(obj) -> str:
    """`JSON.parse('…')` of `js_json(obj)`: the same inert text, which the browser reads as
    data (a JSON parse) rather than compiling it as a script's object literal, several times
    faster for the map's large payloads. The text has no quote mark, no line break and no
    markup character (all escaped by js_json): only its backslashes need doubling."""
    return "JSON.parse('" + js_json(obj).replace("\\", "\\\\") + "')"
