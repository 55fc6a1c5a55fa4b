"""The icon font a served page downloads, cut to the icons Streamlit and the app can show.

Streamlit preloads its Material Symbols font on every page: 375 KB, 4,000+ icons. An icon is a
ligature: the text `factory` in that font is drawn as the factory glyph. The served copy keeps
the letters, digits and `_`, and only the ligatures that name an icon found in Streamlit's
bundle, Streamlit's Python package or this repository's code (`:material/name:`). Every
other ligature is dropped with its glyph. A page shows the same glyphs for 12 KB.

Made by fontTools' subsetter (its woff2 needs the brotli package). When either is missing, or the
font has no ligature table, the full font is served as it is.
"""

import hashlib
import io
import re
from pathlib import Path

from scripts.server import ROOT

ICON = re.compile(r":material/([a-z0-9_]+):")
# This repository's code that can name an icon (st.Page, buttons, badges, markdown).
OWN_CODE = ("app.py", "views", "ui", "sanqu")


def _texts(static: Path) -> list[Path]:
    streamlit_pkg = static.parent
    found = list((static / "static" / "js").glob("*.js")) + list(streamlit_pkg.rglob("*.py"))
    for part in OWN_CODE:
        path = ROOT / part
        found += [path] if path.is_file() else list(path.rglob("*.py"))
    return found


def names_used(static: Path) -> set[str]:
    """Every `:material/name:` in Streamlit's JavaScript and Python and in this repo's code."""
    names: set[str] = set()
    for path in _texts(static):
        names.update(ICON.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return names


def font_file(static: Path) -> Path | None:
    found = sorted((static / "static" / "media").glob("MaterialSymbols-*.woff2"))
    return found[0] if found else None


def ligatures(font) -> dict[str, str]:
    """Icon name -> glyph name, from the font's GSUB ligature lookups (typed text -> glyph)."""
    char = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    out: dict[str, str] = {}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = table.ExtSubTable if lookup.LookupType == 7 else table
            for first, ligs in getattr(table, "ligatures", {}).items():
                for lig in ligs:
                    text = char.get(first, "\0") + "".join(char.get(c, "\0") for c in lig.Component)
                    out[text] = lig.LigGlyph
    return out


def subset(data: bytes, names: set[str]) -> bytes:
    """The font with the ASCII characters and only the ligatures (and glyphs) of `names`."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    if "GSUB" not in font:
        return data
    wanted = {name: glyph for name, glyph in ligatures(font).items() if name in names}
    keep = sorted(set(wanted.values()))
    options = ft_subset.Options()
    options.layout_closure = False  # else every ligature made of kept letters comes back
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    options.flavor = "woff2"
    cutter = ft_subset.Subsetter(options)
    cutter.populate(unicodes=[code for code in font.getBestCmap() if code < 128], glyphs=keep)
    cutter.subset(font)
    out = io.BytesIO()
    font.save(out)
    cut_font = TTFont(io.BytesIO(out.getvalue()))
    if {n: g for n, g in ligatures(cut_font).items() if n in names} != wanted:  # never a lost icon
        return data
    return out.getvalue()


def cut(copy: Path, original: Path) -> str:
    """Write the cut font into the static copy `copy` (once per set of names); what was done."""
    source, target = font_file(original), font_file(copy)
    if source is None or target is None:
        return "icons: no Material Symbols font in Streamlit's static files"
    names = names_used(original)
    stamp = copy / f".icons-{hashlib.sha256(' '.join(sorted(names)).encode()).hexdigest()[:12]}"
    if stamp.exists():
        return f"icons: {target.stat().st_size / 1e3:.0f} KB ({len(names)} names, made before)"
    try:
        data = subset(source.read_bytes(), names)
    except ImportError as missing:  # fontTools or brotli: the full font stays
        return f"icons: full font served ({missing})"
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    for old in copy.glob(".icons-*"):
        old.unlink()
    stamp.touch()
    return f"icons: {source.stat().st_size / 1e3:.0f} KB -> {len(data) / 1e3:.0f} KB ({len(names)} names)"
