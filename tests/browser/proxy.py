"""A real nginx on loopback in front of the app, as an intranet's 统一身份认证 proxy would be: it
sets the identity header from its own sign-in (here the stand-in is a cookie `sso_user` the
proxy reads) and overwrites whatever header a client sent."""

import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from scripts.server import free_port

HEADER = "X-Forwarded-User"
CONF = """
daemon off;
worker_processes 1;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass {app};
            proxy_http_version 1.1;
            proxy_buffering off;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header {header} $cookie_sso_user;{extra}
            proxy_read_timeout 3600s;
        }}
    }}
}}
"""


def executable() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def start(app: str, tmp: Path, headers: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """nginx proxying to `app` (with `headers` set on every request to it); returns the process
    and the proxy's base URL (ready)."""
    exe = executable()
    if exe is None:
        raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
    port = free_port()
    user = "user root root;" if os.geteuid() == 0 else ""  # as root, workers would switch to nobody
    conf = tmp / "nginx.conf"
    extra = "".join(f"\n            proxy_set_header {k} {v};" for k, v in (headers or {}).items())
    conf.write_text(CONF.format(user=user, tmp=tmp, port=port, app=app, header=HEADER, extra=extra), encoding="utf-8")
    proc = subprocess.Popen([exe, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf)])
    url = f"http://127.0.0.1:{port}"
    for _ in range(80):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.25)
    proc.kill()
    raise RuntimeError("nginx did not start: " + (tmp / "error.log").read_text(errors="replace"))
