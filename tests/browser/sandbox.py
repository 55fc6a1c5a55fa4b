"""A visitor that opens every page and every download and keeps all it received: the websocket
frames' text and the downloads' text (Excel XML, PDF text), for the sandbox leak tests."""

import re
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import settle

PAGES = {
    "overview": "三区党建总览",
    "map": "三区地图",
    "parks": "工业园区党建",
    "communities": "城乡社区党建",
    "scenic": "旅游景区党建",
    "sites": "示范点",
    "mechanisms": "长效机制",
}
REFUSED = "无权访问"
MEDIA = re.compile(r"/media/[0-9a-f]{16,}\.xlsx")


def _file_name(disposition: str) -> str:
    """The file name of a Content-Disposition header (RFC 5987 filename* first)."""
    found = re.search(r"filename\*=(?:UTF-8|utf-8)''([^;]+)", disposition) or re.search(
        r'filename="?([^";]+)', disposition
    )
    return unquote(found.group(1)) if found else ""


def file_text(path: Path) -> str:
    """The text of a download: every XML part of an .xlsx, pdftotext of a PDF."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    if path.read_bytes()[:5] == b"%PDF-":
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
        ).stdout.decode()
    return path.read_bytes().decode("utf-8", "replace")


class Visitor:
    """One browser context (one person); `cookies` are set for the app's address first (the
    proxy's sign-in stand-in), or it signs in on its page before visiting."""

    def __init__(self, browser, base: str, out: Path, cookies: dict[str, str] | None = None):
        self.base, self.out = base, out
        self.context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
        if cookies:
            self.context.add_cookies([{"name": k, "value": v, "url": base} for k, v in cookies.items()])
        self.page = self.context.new_page()
        self.frames: list[str] = []
        self.files: dict[str, str] = {}  # download (file name or media address) -> its text
        self.names: dict[str, str] = {}  # media address -> the file name it is saved as
        self.pages: dict[str, str] = {}  # page or download -> the text it brought
        self.pressed: set[str] = set()  # media addresses of downloads made by a press
        self.page.on("websocket", self._listen)
        self.downloads: list = []  # every download the page started, in order
        self.page.on("download", lambda d: self.downloads.append(d))
        self.console: list[str] = []  # the page's console, named when a press gives nothing
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"[:300]))

    def _listen(self, ws) -> None:
        def keep(payload) -> None:
            self.frames.append(payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))

        ws.on("framereceived", keep)

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_selector("[data-testid='stApp']")
        settle(self.page, 60000)

    def refused(self) -> bool:
        return self.page.get_by_text(REFUSED).count() > 0

    def _download(self, button, name_hint: str) -> None:
        label, before = button.inner_text().strip(), len(self.downloads)
        # pressed from the keyboard (focused, then Enter: a trusted press of that very button): a
        # mouse click aims at where the button was when Playwright found it still, and a table
        # laying out above it (a just-opened expander) can move it away before the click lands
        button.press("Enter")
        d = self._arrived(f"{name_hint}: {label!r} pressed", before)
        target = self.out / f"{name_hint}-{d.suggested_filename}"
        d.save_as(target)
        self.files[d.suggested_filename] = file_text(target)
        self.names[d.url] = d.suggested_filename
        self.pressed.add(urlsplit(d.url).path)  # its address is in the frames too: not fetched again

    def _arrived(self, what: str, before: int, timeout_s: int = 120):
        """The download a press started (the first after `before` downloads), or the error the
        button shows instead (Streamlit shows it for 5 s) named at once."""
        error = self.page.locator("[data-testid='stDownloadButtonError']")
        for _ in range(timeout_s * 2):
            if len(self.downloads) > before:
                return self.downloads[before]
            try:
                self.page.wait_for_event("download", timeout=500)  # ends early when one starts
            except PlaywrightTimeout:
                if error.count():
                    raise AssertionError(f"{what}: no download, the button says {error.all_inner_texts()}") from None
        raise AssertionError(f"{what}: no download within {timeout_s} s; console: {self.console[-10:]}")

    def visit(self, path: str, query: str = "") -> None:
        """A page, then each of its Excel downloads (those in closed tabs too: every download
        address the page was sent)."""
        start, known = len(self.frames), set(self.files)
        self._visit(path, query)
        self.pages[path] = "\n".join(self.frames[start:])
        for media in set(self.files) - known:
            self.pages[f"{path} · {self.names.get(media, media)}"] = self.files[media]

    def _visit(self, path: str, query: str) -> None:
        self.open(f"/{path}{'?' + query if query else ''}")
        if self.refused():
            return
        self.page.get_by_role("heading", name=PAGES[path], exact=True, level=1).wait_for(timeout=60000)
        settle(self.page, 60000)
        gone = self._fetch(set(MEDIA.findall("\n".join(self.frames))))
        if gone:  # a run superseded by a rerun before the fetch: its files are gone, open the page again
            start = len(self.frames)
            self.open(f"/{path}{'?' + query if query else ''}")
            self.page.get_by_role("heading", name=PAGES[path], exact=True, level=1).wait_for(timeout=60000)
            settle(self.page, 60000)
            again = set(MEDIA.findall("\n".join(self.frames[start:])))
            assert again, "no download on the page opened again"
            assert not self._fetch(again), "downloads still missing after the page was opened again"
        self._press_exports(path)

    def _press_exports(self, path: str) -> None:
        """Every Excel export of the page is made when pressed: press each (those in a closed
        expander or another tab too, opened first)."""
        buttons = self.page.locator("[data-testid='stDownloadButton'] button").filter(has_text="导出 Excel")
        for i in range(buttons.count()):
            button = buttons.nth(i)
            if button.is_disabled():
                continue
            self._reveal(button)
            self._made_on_press(button, path)
            settle(self.page, 60000)

    def _reveal(self, button) -> None:
        """Open the expander or select the tab that hides `button`."""
        if button.is_visible():
            return
        details = button.locator("xpath=ancestor::details[1]")
        if details.count() and details.get_attribute("open") is None:
            details.locator("summary").first.click()
        panel = button.locator("xpath=ancestor::*[@role='tabpanel'][1]")
        if panel.count() and not button.is_visible():
            self.page.locator(f"[id='{panel.get_attribute('aria-labelledby')}']").click()
        button.wait_for(state="visible", timeout=30000)

    def _made_on_press(self, button, name_hint: str, tries: int = 3) -> None:
        """A download made when pressed. The map reruns by itself (its view reported back): a rerun
        that lands between the press and the file replaces the file's address, and the browser
        cancels the download or the button says it failed: there, press again."""
        for left in range(tries - 1, -1, -1):
            try:
                self._download(button, name_hint)
                return
            except (PlaywrightError, AssertionError) as err:
                again = "canceled" in str(err) or (name_hint == "map" and "the button says" in str(err))
                if not again or not left:
                    raise
                settle(self.page, 60000)

    def _fetch(self, addresses: set[str]) -> list[str]:
        """Fetch the download addresses not fetched yet; returns those the app no longer has (404)."""
        gone = []
        for media in sorted(addresses - set(self.files) - self.pressed):
            response = self.context.request.get(self.base + media)
            if response.status == 404:
                gone.append(media)
                continue
            assert response.ok, (media, response.status)
            target = self.out / media.rsplit("/", 1)[-1]
            target.write_bytes(response.body())
            self.files[media] = file_text(target)
            self.names[media] = _file_name(response.headers.get("content-disposition", ""))
        return gone

    def briefing(self) -> None:
        """The briefing PDF from 分享与导出 (on the page open now)."""
        self.page.get_by_role("button", name=re.compile("分享与导出")).click()  # no rerun (not the map)
        self._download(self.page.get_by_role("button", name=re.compile("下载简报 PDF")), "briefing")

    def everything(self, query: str = "") -> None:
        """Every page and its downloads, the briefing, and the big screen."""
        for path in PAGES:
            self.visit(path, query)
        if not self.refused():
            known = set(self.files)
            self.briefing()
            for name in set(self.files) - known:
                self.pages[f"简报 · {name}"] = self.files[name]
        start = len(self.frames)
        self.open(f"/?mode=screen&every=600{'&' + query if query else ''}")
        if not self.refused():
            self.page.locator(".st-key-sq_title h1").wait_for(timeout=60000)
            settle(self.page, 60000)
        self.pages["screen"] = "\n".join(self.frames[start:])

    def text(self) -> str:
        return "\n".join(self.frames) + "\n".join(self.files.values())

    def district_options(self) -> list[str]:
        """The district dropdown's options as shown."""
        box = self.page.get_by_role("combobox", name="区县")
        box.click()
        options = self.page.get_by_role("option")
        options.first.wait_for()
        names = [options.nth(i).inner_text().strip() for i in range(options.count())]
        self.page.keyboard.press("Escape")
        return names

    def close(self) -> None:
        self.context.close()


def report(v: Visitor, inside: tuple[set[str], set[str]], outside: tuple[set[str], set[str]], target: Path) -> dict:
    """Per page and download: how many in-scope and out-of-scope entities it carried (written
    to `target` as JSON: the figures of the report), and the totals."""
    import json

    from tests.leaks import found

    rows = {name: [len(found(text, *inside)), len(found(text, *outside))] for name, text in v.pages.items()}
    target.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return rows
