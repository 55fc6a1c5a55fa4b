"""CSS and JS kept as files under static/ and placed on a page (no styles or scripts in Python strings)."""

from functools import cache

from sanqu.paths import ROOT

STATIC = ROOT / "static"


@cache
def text(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def style(name: str, variables: dict[str, str]) -> str:
    """A <style> block: the file's CSS after `:root` custom properties (--sq-<name>)."""
    root = ":root { " + " ".join(f"--sq-{k}: {v};" for k, v in variables.items()) + " }"
    return f"<style>\n{root}\n{text(name)}</style>"


def script(name: str) -> str:
    return f"<script>\n{text(name)}</script>"
