"""The shape of the code, checked: the package never loads streamlit, pages stay thin."""

import ast
import subprocess
import sys
import tomllib
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


def _bare_values(path: Path) -> list[int]:
    """Lines of `path` holding an expression statement that is not a call and not a docstring:
    what Streamlit's magic would have drawn (st.write), and draws nothing with magic off."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0])
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
    }
    return [
        n.lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.Expr)
        and not isinstance(n.value, (ast.Call, ast.Await))
        and not (id(n) in docstrings and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str))
    ]


def test_pages_draw_with_calls_only_as_magic_is_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["magicEnabled"] is False
    scripts = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py"))]
    assert {p.name: lines for p in scripts if (lines := _bare_values(p))} == {}


def test_a_bare_value_is_found(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('"""Doc."""\nimport streamlit as st\n\nx = 1\nx\nst.write(x)\n"""not a docstring"""\n')
    assert _bare_values(page) == [5, 7]
