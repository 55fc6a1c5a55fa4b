"""Register text that tries to become markup or script: it must stay text."""

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "${alert(3)}",
    "unclosed ${ here",
    "back`tick`",
    "</script><script>alert(4)</script>",
    "\u2028line\u2029sep & 'quote' \"dq\"",
]


def evil_rows(rows: dict) -> dict:
    """A copy of register rows whose first enterprises, scenic sites and communities carry a payload."""
    out = {k: [dict(r) for r in v] for k, v in rows.items()}
    for register in ("enterprises", "scenic_sites", "communities", "demo_sites"):
        for i, row in enumerate(out.get(register, [])[: len(PAYLOADS)]):
            row["name"] = f"{PAYLOADS[i]}企业{i}"
    return out
