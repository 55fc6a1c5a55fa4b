"""How every script and test starts the app: `streamlit run app.py` on a free local port, ready
when /_stcore/health answers."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(env: dict[str, str], out, args=(), port: int | None = None) -> tuple[subprocess.Popen, str]:
    """The app server (output to `out`, a file or subprocess.DEVNULL) and its base URL; `args`:
    more `streamlit run` options (e.g. --secrets.files for a test's [auth]); `port`: a given one
    (a sign-in redirect address names it beforehand), else a free one."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1"]
    cmd += ["--server.port", str(port), *args]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def ready(url: str, tries: int = 120) -> bool:
    """Whether the server at `url` answers its health check within `tries` quarter seconds."""
    for _ in range(tries):
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                return True
        except OSError:
            time.sleep(0.25)
    return False
