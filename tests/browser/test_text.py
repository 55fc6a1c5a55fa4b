"""Streamlit's own English is gone where Streamlit lets it go (issue 12, item 15): no ⋮ menu
(Print / Record screen / Made with Streamlit), no "Download as CSV" in a table's toolbar, no
"None" / "empty" in tables; and the tab is titled by the page."""

import pytest

pytestmark = pytest.mark.browser

ENGLISH = ("Download as CSV", "Print", "Record screen", "Made with Streamlit", "Deploy", "Settings")


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
@pytest.mark.parametrize(
    ("path", "wait", "title"), [("/", "三区党建总览", "总览"), ("/scenic", "旅游景区党建", "旅游景区")]
)
def test_no_streamlit_english(open_page, output_dir, width, height, path, wait, title):
    p = open_page(width, height)
    page = p.open(path, wait_text=wait)
    assert page.title() == f"{title} · 吉安市三区党建"
    assert page.locator("[data-testid='stMainMenu']").count() == 0  # toolbarMode = "minimal"
    table = page.locator("[data-testid='stDataFrame']").first
    table.scroll_into_view_if_needed()
    table.hover()
    labels = page.locator("[data-testid='stElementToolbar'] button").evaluate_all(
        "(bs) => bs.map((b) => (b.getAttribute('aria-label') || '') + ' ' + b.innerText)"
    )
    assert labels, "the table's toolbar shows on hover"
    body = page.inner_text("body")
    for text in ENGLISH:
        assert text not in body and not any(text in label for label in labels), text
    name = "overview" if path == "/" else path.strip("/")
    p.finish(output_dir / f"text-{name}-{width}x{height}.png")
