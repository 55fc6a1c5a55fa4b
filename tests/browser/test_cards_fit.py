"""Every KPI card's label and value whole, on the common laptop width and on a big screen: a card
cut to "12…" tells the reader nothing (旅游景区's three trade cards in a third of the page did)."""

import pytest

from tests.browser.test_nav import TITLES

pytestmark = pytest.mark.browser

PAGES = ("overview", "parks", "communities", "scenic", "sites", "mechanisms")  # the pages with KPI cards
# an element of a card (the card itself or a part of it) whose text is wider than its box: cut
CUT = """() => [...document.querySelectorAll("[data-testid='stMetricValue'], [data-testid='stMetricLabel']")]
  .filter((m) => [m, ...m.querySelectorAll("*")].some((e) => e.scrollWidth > e.clientWidth + 1))
  .map((m) => m.getAttribute("data-testid") + ": " + m.innerText.trim())"""


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_no_card_is_cut(open_page, output_dir, width, height):
    p = open_page(width, height)
    for name in PAGES:
        path = "/" if name == "overview" else f"/{name}"
        page = p.open(path, wait_text=TITLES[name])
        cards = page.locator("[data-testid='stMetricValue']").count()
        assert cards >= 3, (path, cards)  # the page's cards are there to be read
        assert page.evaluate(CUT) == [], (path, width)
    p.finish(output_dir / f"cards-fit-mechanisms-{width}x{height}.png")
