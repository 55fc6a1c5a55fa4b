"""The served icon font (scripts/icons.py): only the ligatures in use, each to the same glyph."""

import io

from fontTools.ttLib import TTFont

from scripts import icons
from scripts.serve import STREAMLIT_STATIC

FULL = icons.font_file(STREAMLIT_STATIC)


def _full() -> TTFont:
    assert FULL is not None
    return TTFont(FULL)


def test_a_cut_font_keeps_the_named_icons_and_drops_every_other():
    full = _full()
    every = icons.ligatures(full)
    assert len(every) > 3000 and every["factory"] == "factory" and every["123"] == "_123"
    data = icons.subset(FULL.read_bytes(), {"factory", "123", "list", "not_an_icon"})  # type: ignore[union-attr]
    cut = TTFont(io.BytesIO(data))
    kept = icons.ligatures(cut)
    assert {kept[n] for n in ("factory", "123", "list")} == {"factory", "_123", "list"}
    assert set(kept.values()) == {"factory", "_123", "list"}  # with their aliases, nothing else
    assert len(data) < FULL.stat().st_size / 20  # type: ignore[union-attr]
    # the kept glyph is drawn as before (same outline points)
    for name in ("factory", "_123"):
        assert cut["glyf"][name].getCoordinates(cut["glyf"])[0] == full["glyf"][name].getCoordinates(full["glyf"])[0]


def test_every_icon_the_app_names_is_in_the_font_and_found_for_the_cut():
    used = icons.names_used(STREAMLIT_STATIC)
    ours = set()
    for path in icons._texts(STREAMLIT_STATIC):
        if "site-packages" not in path.parts:
            ours |= set(icons.ICON.findall(path.read_text(encoding="utf-8")))
    assert {"dashboard", "factory", "share", "download", "map"} <= ours <= used
    assert ours <= set(icons.ligatures(_full()))  # a misspelt name would show as its letters
    assert {"keyboard_double_arrow_left", "expand_more", "error"} <= used  # Streamlit's own


def test_cut_writes_once_per_set_of_names(tmp_path):
    media = tmp_path / "static" / "media"
    media.mkdir(parents=True)
    target = media / FULL.name  # type: ignore[union-attr]
    target.write_bytes(FULL.read_bytes())  # type: ignore[union-attr]
    first = icons.cut(tmp_path, STREAMLIT_STATIC)
    assert "->" in first and target.stat().st_size < 60_000
    every, used = icons.ligatures(_full()), icons.names_used(STREAMLIT_STATIC)
    kept = icons.ligatures(TTFont(target))
    assert {n: every[n] for n in used if n in every} == {n: kept[n] for n in used if n in every}
    assert set(kept.values()) == {every[n] for n in used if n in every}  # aliases of a kept glyph stay
    assert "made before" in icons.cut(tmp_path, STREAMLIT_STATIC)
    assert len(list(tmp_path.glob(".icons-*"))) == 1
