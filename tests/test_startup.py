"""What a server process loads before its first visitor: not the briefing's matplotlib and fpdf
(about 0.5 s and 26 MB), which come with the first briefing made."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = textwrap.dedent(
    """
    import sys
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("app.py", default_timeout=120)
    at.run()
    for page in ("views/parks.py", "views/map.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    screen = AppTest.from_file("app.py", default_timeout=120)
    screen.query_params.update(mode="screen")
    screen.run()
    assert not at.exception and not screen.exception
    print(sorted(m for m in ("matplotlib", "fpdf") if m in sys.modules))

    from sanqu.context import Context
    from sanqu.reports import briefing_pdf
    from sanqu.scope import Scope
    from sanqu.storage.db import Database
    from sanqu.paths import db_path

    db = Database(db_path())
    pdf = briefing_pdf.build(db, Context(Scope.of("360822"), db.periods()[-1]), True)
    print(pdf[:5].decode(), sorted(m for m in ("matplotlib", "fpdf") if m in sys.modules))
    """
)


def test_pages_open_without_the_briefings_modules_and_the_briefing_brings_them(demo_dir):
    out = subprocess.run(
        [sys.executable, "-c", PAGES], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.splitlines()[-2:] == ["[]", "%PDF- ['fpdf', 'matplotlib']"]
