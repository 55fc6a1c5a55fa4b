"""Every setting of the product in one place, read at call time.

Order: the environment variable `SANQU_<NAME>` (upper case), then the settings file
(`sanqu.toml` in the project root, or the file named by `SANQU_SETTINGS`), then the default.
`python -m sanqu settings` lists them with their current values.
"""

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    meaning: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("region", "360800", "the deployed region: a region pack maps/<code>/ (python -m sanqu region)"),
    Setting("data_dir", str(ROOT / "data"), "the data folder: registers/ and the store sanqu.duckdb"),
    Setting("today", "", "pin the date status rules use (YYYY-MM-DD; tests and demos); empty = today"),
    Setting("basemaps", "", "basemaps offered on the map, comma-separated: tianditu, amap, osm, intranet"),
    Setting("tile_url", "", "tile URL template of an intranet tile server ({z}/{x}/{y})"),
    Setting("tianditu_key", "", "Tianditu API key (only with basemaps=tianditu)", secret=True),
    Setting("duckdb_memory_limit", "512MB", "DuckDB buffer pool per app process"),
    Setting("duckdb_threads", "2", "DuckDB threads per app process"),
    Setting("ahead_threads", "2", "threads per app process that make a page's parts side by side (0: in turn)"),
    Setting("warm", "1", "make every page's default view at every district and quarter ahead (ui/warm.py; 0: off)"),
    Setting("warm_quarters", "0", "how many of the newest quarters the warmer makes (0: every stored quarter)"),
    Setting(
        "warm_townships",
        "all",
        "at how many of those newest quarters it also makes each township's view (all: every one; 0: none)",
    ),
    Setting(
        "warm_filters",
        "1",
        "at how many of those newest quarters it also tries each page's every filter option (0: none)",
    ),
    Setting("gc_freeze", "1", "freeze the pages' modules out of Python's full garbage collections (0: off)"),
    Setting("gc_idle", "1", "full garbage collections between script runs, not in them (sanqu/heap.py; 0: Python's)"),
    Setting("log_level", "INFO", "log level of the sanqu logger (DEBUG shows every query's SQL)"),
    Setting("slow_query_ms", "200", "queries slower than this are logged as warnings"),
    # share links and the audit trail (sanqu/access/links.py, audit.py)
    Setting("public_url", "", "the app's public address in links (https://dj.example.gov.cn); empty = the request's"),
    Setting(
        "link_secret", "", "key that signs share links (replicas share it); empty = one kept in the access file", True
    ),
    Setting("now", "", "pin the clock of share links and the audit (ISO time; tests only); empty = real time"),
    Setting("access", "local", "who may look: local (no sign-in, 127.0.0.1 only), oidc (st.login), proxy (header)"),
    Setting("access_db", "", "the access file (users, share links, audit); empty = access.sqlite in the data folder"),
    Setting("proxy_header", "X-Forwarded-User", "access=proxy: the header holding the signed-in user's id"),
    Setting("trusted_proxies", "127.0.0.1", "access=proxy: addresses the identity header is accepted from"),
    Setting("frame_ancestors", "", "sites that may embed the dashboard (CSP frame-ancestors; make serve, deploy/)"),
    Setting("oidc_claim", "email", "access=oidc: the claim that is the user id (else the subject, sub)"),
)
BY_NAME = {s.name: s for s in SETTINGS}


def settings_file() -> Path:
    return Path(os.environ.get("SANQU_SETTINGS", ROOT / "sanqu.toml"))


def _from_file() -> dict:
    try:
        with open(settings_file(), "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}


def get(name: str) -> str:
    """The setting's value as text (environment, then file, then default)."""
    setting = BY_NAME[name]
    env = os.environ.get("SANQU_" + name.upper())
    if env is not None:
        return env
    value = _from_file().get(name)
    return str(value) if value is not None else setting.default


def get_int(name: str) -> int:
    return int(get(name))


def get_list(name: str) -> list[str]:
    return [x.strip() for x in get(name).split(",") if x.strip()]


def describe() -> str:
    """Every setting, its current value (secrets hidden), default and meaning."""
    lines = [f"settings file: {settings_file()}"]
    for s in SETTINGS:
        value = get(s.name)
        shown = ("***" if value else "") if s.secret else value
        lines.append(f"SANQU_{s.name.upper():<22} = {shown!r:<30} (default {s.default!r}) {s.meaning}")
    return "\n".join(lines)
