"""The shape of the code, checked: the package never loads streamlit, pages stay thin."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_importing_every_package_module_loads_no_streamlit():
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in (ROOT / "sanqu").rglob("*.py")
        if p.name != "__main__.py"
    )
    code = "import importlib, sys\n"
    code += "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'streamlit_folium')))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert len(modules) > 30  # every module was imported, not none


def test_no_page_over_200_lines():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "views").glob("*.py")}
    assert len(sizes) >= 8
    assert {name: n for name, n in sizes.items() if n > 200} == {}


def test_package_is_grouped_by_concern():
    flat = sorted(p.stem for p in (ROOT / "sanqu").glob("*.py") if p.stem not in ("__init__", "__main__"))
    packages = sorted(p.name for p in (ROOT / "sanqu").iterdir() if (p / "__init__.py").exists())
    assert len(packages) >= 6
    assert len(flat) <= 10, flat  # only the base modules stay at the top
