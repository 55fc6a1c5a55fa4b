"""Screenshot a running app page: python -m scripts.shot URL OUT.png [WIDTH HEIGHT [WAIT_MS]]."""

import shutil
import sys

from playwright.sync_api import sync_playwright

from scripts.chromium import FLAGS


def main(url: str, out: str, width: int = 1920, height: int = 1080) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        outside = []
        page.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if not r.url.startswith(url.split("/", 3)[0] + "//" + url.split("/")[2])
                and not r.url.startswith("data:")
                else None
            ),
        )
        page.goto(url)
        page.wait_for_selector("[data-testid='stApp']")
        page.wait_for_timeout(int(sys.argv[5]) if len(sys.argv) > 5 else 4000)
        page.screenshot(path=out, full_page=True)
        print("outside requests:", outside)
        browser.close()


if __name__ == "__main__":
    a = sys.argv
    main(a[1], a[2], *(int(x) for x in a[3:5]))
