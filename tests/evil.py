"""Register text that tries to become markup, script or a spreadsheet formula: it must stay text."""

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "${alert(3)}",
    "unclosed ${ here",
    "back`tick`",
    "</script><script>alert(4)</script>",
    "\u2028line\u2029sep & 'quote' \"dq\"",
    '<a href="https://evil.example/">x</a>',
]
# plotly's HTML subset and the entities it decodes
MARKUP = ["<b>bold</b><i>it</i><br>", "&lt;b&gt;entity&lt;/b&gt; &amp; A&B"]
# what a spreadsheet runs as a formula (OWASP CSV / formula injection)
FORMULAS = ['=HYPERLINK("https://evil.example/","x")', "=1+1", "+1", "-1", "@SUM(A1)"]
REGISTERS = ("parks", "enterprises", "scenic_sites", "communities", "demo_sites")


def evil_rows(rows: dict, payloads: list[str] = PAYLOADS) -> dict:
    """A copy of register rows whose first parks, enterprises, scenic sites, communities and
    demonstration sites carry a payload at the start of their name."""
    out = {k: [dict(r) for r in v] for k, v in rows.items()}
    for register in REGISTERS:
        for i, row in enumerate(out.get(register, [])[: len(payloads)]):
            row["name"] = f"{payloads[i]}企业{i}"
    return out
