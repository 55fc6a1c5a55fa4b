"""make serve: the production stack in the foreground — nginx on PORT in front of REPLICAS
`streamlit run app.py` processes on loopback ports, one read-only store; Ctrl-C stops it all.

  python -m scripts.serve                 # PORT=8080 REPLICAS=2 (environment)
  python -m scripts.serve render OUT_DIR  # the nginx file and static copy for a server (deploy/)

Access: in `local` mode (no sign-in) the app sees every request come from nginx on 127.0.0.1,
so nginx itself listens on 127.0.0.1 only; any other LISTEN address needs SANQU_ACCESS=proxy
or oidc. In `proxy` mode nginx accepts clients from SANQU_TRUSTED_PROXIES only (the sign-in
gateway in front) and the replicas trust nginx alone.
"""

import gzip
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import streamlit

from sanqu import settings
from scripts import icons
from scripts.server import ROOT, free_port, ready

TEMPLATE = ROOT / "deploy" / "sanqu.nginx.conf.template"
STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static"
COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".html", ".txt", ".map", ".woff", ".ttf")
# Hosts the map's basemaps load tiles from (sanqu/mapping/basemaps.py), allowed as images.
# Debian's libnginx-mod-http-brotli-static and brotli: .br files beside the .gz ones when both
# are installed (about a quarter smaller than gzip for the JavaScript), else gzip alone.
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
TILE_HOSTS = {
    "tianditu": "https://*.tianditu.gov.cn",
    "amap": "https://*.is.autonavi.com",
    "osm": "https://tile.openstreetmap.org",
}


@dataclass
class Stack:
    port: int = 8080
    listen: str = "127.0.0.1"
    replicas: list[int] = field(default_factory=list)  # loopback ports of the app processes
    server_name: str = "_"
    static_root: Path = STREAMLIT_STATIC
    tls_cert: str = ""  # with both: listen with TLS (a server; make serve runs plain HTTP)
    tls_key: str = ""


def upload_mb() -> int:
    """Streamlit's server.maxUploadSize (MB) from .streamlit/config.toml (its default 200)."""
    try:
        with open(ROOT / ".streamlit" / "config.toml", "rb") as fh:
            return int(tomllib.load(fh).get("server", {}).get("maxUploadSize", 200))
    except FileNotFoundError:
        return 200


def csp() -> str:
    """The Content-Security-Policy: the app's own origin only (measured in Chromium with make
    firstload: Streamlit and its component iframes need inline styles and scripts, and a
    WebAssembly module is compiled — 'wasm-unsafe-eval', not 'unsafe-eval')."""
    tiles = [TILE_HOSTS[b] for b in settings.get_list("basemaps") if b in TILE_HOSTS]
    tile_url = settings.get("tile_url")
    if "intranet" in settings.get_list("basemaps") and tile_url:
        tiles.append(re.sub(r"^(https?://[^/]+).*$", r"\1", tile_url.replace("{s}", "*")))
    ancestors = " ".join(["'self'", *settings.get("frame_ancestors").replace(",", " ").split()])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            " ".join(["img-src 'self' data: blob:", *tiles]),
            "font-src 'self' data:",
            "connect-src 'self'",
            "frame-src 'self' blob: data:",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {ancestors}",
        ]
    )


# With TLS, plain HTTP only redirects to it.
REDIRECT = """
server {
    listen 80;
    server_name NAME;
    return 301 https://$host$request_uri;
}"""


def _indent(lines: list[str], n: int) -> str:
    return "\n".join(" " * n + line for line in lines)


def render(stack: Stack) -> str:
    """The nginx http-level configuration of `stack` from deploy/'s template."""
    tls = bool(stack.tls_cert and stack.tls_key)
    access = settings.get("access")
    headers = [
        "add_header X-Sanqu-Replica $sanqu_replica_name always;",
        "add_header Set-Cookie $sanqu_set_cookie always;",
        f'add_header Content-Security-Policy "{csp()}" always;',
        "add_header X-Content-Type-Options nosniff always;",
        "add_header Referrer-Policy same-origin always;",
    ]
    if tls:
        headers.append('add_header Strict-Transport-Security "max-age=31536000" always;')
    proxy_headers = [
        "proxy_set_header Host $http_host;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
    ]
    allow: list[str] = []
    if access == "proxy":  # only the sign-in gateway may reach the app (and set the identity header)
        allow = [f"allow {a};" for a in settings.get_list("trusted_proxies")] + ["deny all;"]
    else:  # nobody can pass an identity header through
        proxy_headers.append(f'proxy_set_header {settings.get("proxy_header")} "";')
    listen = [f"listen {stack.listen}:{stack.port}{' ssl http2' if tls else ''};"]
    values = {
        "servers": _indent([f"server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in stack.replicas], 4),
        "replica_names": _indent([f'"127.0.0.1:{p}" r{i + 1};' for i, p in enumerate(stack.replicas)], 4),
        "cookie_secure": "; Secure" if tls else "",
        "listen": _indent(listen, 4),
        "server_name": stack.server_name,
        "tls": _indent([f"ssl_certificate {stack.tls_cert};", f"ssl_certificate_key {stack.tls_key};"], 4)
        if tls
        else "",
        "redirect": REDIRECT.replace("NAME", stack.server_name) if tls else "",
        "upload_mb": str(upload_mb()),
        "access": _indent(allow, 4),
        "static_root": str(stack.static_root),
        "brotli": "        brotli_static on;" if (stack.static_root / ".done-br").exists() else "",
        "headers": _indent(headers, 8),
        "proxy_headers": _indent(proxy_headers, 8),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], text)


def brotli() -> bool:
    return BROTLI_MODULE.exists() and shutil.which("brotli") is not None


def _brotli_ready(static_root: Path) -> bool:
    return brotli() and (static_root / ".done-br").exists()


def precompress(dst: Path, src: Path = STREAMLIT_STATIC) -> Path:
    """A copy of Streamlit's static files with a .gz (and, with brotli(), a .br) beside every
    text file (nginx gzip_static, brotli_static), made once per Streamlit version under `dst`;
    its icon font cut to the icons in use (scripts/icons.py)."""
    out = _compressed_copy(dst, src)
    print(icons.cut(out, src), flush=True)
    return out


def _compressed_copy(dst: Path, src: Path) -> Path:
    out = dst / f"streamlit-{streamlit.__version__}"
    if (out / ".done").exists() and (not brotli() or (out / ".done-br").exists()):
        return out
    tmp = Path(tempfile.mkdtemp(dir=dst))
    shutil.copytree(src, tmp, dirs_exist_ok=True)
    for path in tmp.rglob("*"):
        if path.is_file() and path.suffix in COMPRESSIBLE and path.stat().st_size >= 1024:
            data = path.read_bytes()
            packed = gzip.compress(data, compresslevel=9, mtime=0)
            if len(packed) < len(data):
                path.with_name(path.name + ".gz").write_bytes(packed)
                os.utime(path.with_name(path.name + ".gz"), ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))
    (tmp / ".done").touch()
    if brotli():
        texts = [str(p) for p in tmp.rglob("*") if p.suffix in COMPRESSIBLE]
        texts = [t for t in texts if Path(t + ".gz").exists()]  # worth compressing
        for i in range(0, len(texts), 200):
            subprocess.run(["brotli", "-q", "11", "-k", "-f", *texts[i : i + 200]], check=True)
        (tmp / ".done-br").touch()
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


def nginx_executable() -> str:
    """Debian's nginx, with its brotli module and the brotli tool, installed when missing (as
    .ci/run does)."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    missing = [] if found else ["nginx-light"]
    missing += [] if BROTLI_MODULE.exists() else ["libnginx-mod-http-brotli-static"]
    missing += [] if shutil.which("brotli") else ["brotli"]
    if missing:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        print("missing, installing: " + " ".join(missing), flush=True)
        subprocess.run([*sudo, "apt-get", "update", "-q"], check=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run([*sudo, "apt-get", "install", "-y", "-q", *missing], check=True, env=env)
    return found or "/usr/sbin/nginx"


MAIN = """{modules}
daemon off;
worker_processes auto;
{user}
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include {mime};
    default_type application/octet-stream;
    access_log {run}/access.log;
    sendfile on;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include {run}/sanqu.conf;
}}
"""


def write_nginx(run: Path, stack: Stack) -> Path:
    """nginx's main file for a non-root, foreground nginx in `run` (the site file beside it)."""
    (run / "sanqu.conf").write_text(render(stack), encoding="utf-8")
    mime = "/etc/nginx/mime.types"
    if not Path(mime).exists():
        (run / "mime.types").write_text(
            "types { text/html html; text/css css; application/javascript js mjs; application/json json; "
            "image/svg+xml svg; image/png png; font/woff2 woff2; font/woff woff; font/ttf ttf; }\n"
        )
        mime = str(run / "mime.types")
    user = "user root root;" if os.geteuid() == 0 else ""  # as root, workers would switch to nobody
    main = run / "nginx.conf"
    modules = f"load_module {BROTLI_MODULE};" if _brotli_ready(stack.static_root) else ""
    main.write_text(MAIN.format(modules=modules, user=user, run=run, mime=mime), encoding="utf-8")
    return main


def replica_env(secret: str) -> dict[str, str]:
    """The app processes' environment: one cookie secret for all (XSRF and sign-in cookies stay
    valid when a browser moves to another replica); in proxy mode they trust nginx alone."""
    env = dict(os.environ, STREAMLIT_SERVER_COOKIE_SECRET=secret, STREAMLIT_SERVER_HEADLESS="true")
    if settings.get("access") == "proxy":
        env["SANQU_TRUSTED_PROXIES"] = "127.0.0.1"
    return env


def state_file(port: int) -> Path:
    """Where a running `make serve` on `port` lists its processes (make load reads the replicas' RSS)."""
    return Path(tempfile.gettempdir()) / f"sanqu-serve-{port}.json"


class Running:
    """The started processes; `stop()` ends them all (nginx first)."""

    def __init__(self, run: Path, url: str, nginx: subprocess.Popen, apps: list[subprocess.Popen]):
        self.run, self.url, self.nginx, self.apps = run, url, nginx, apps

    def stop(self) -> None:
        for proc in [self.nginx, *self.apps]:
            if proc.poll() is None:
                proc.terminate()
        for proc in [self.nginx, *self.apps]:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        state_file(int(self.url.rsplit(":", 1)[1])).unlink(missing_ok=True)


def start(port: int, replicas: int, listen: str, run: Path, log=subprocess.DEVNULL, logs: bool = False) -> Running:
    """The whole stack, ready (every replica healthy and nginx answering) — or an error. `log`:
    where the processes' output goes (None: this terminal); `logs`: replica i's output to
    `run`/replica-i.log instead (the tests read which replica ran a script)."""
    access = settings.get("access")
    if access == "local" and listen not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(
            f"SANQU_ACCESS=local shows the whole city to anyone: nginx listens on 127.0.0.1 only, "
            f"not {listen}. Serve other machines with SANQU_ACCESS=proxy or oidc."
        )
    exe = nginx_executable()
    cache = ROOT / "data" / ".static-cache"  # the repo's, whatever data folder the replicas read
    cache.mkdir(parents=True, exist_ok=True)
    stack = Stack(port=port, listen=listen, static_root=precompress(cache))
    stack.replicas = [free_port() for _ in range(replicas)]
    main = write_nginx(run, stack)
    env = replica_env(secrets.token_urlsafe(32))
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1"]
    apps = []
    for i, p in enumerate(stack.replicas):
        out = open(run / f"replica-{i + 1}.log", "w") if logs else log  # noqa: SIM115 (the child holds it)
        apps.append(subprocess.Popen([*cmd, "--server.port", str(p)], cwd=ROOT, env=env, stdout=out, stderr=out))
    nginx_cmd = [exe, "-p", str(run), "-e", str(run / "error.log"), "-c", str(main)]
    nginx = subprocess.Popen(nginx_cmd, stdout=log, stderr=log)
    host = "127.0.0.1" if listen in ("0.0.0.0", "::") else listen
    running = Running(run, f"http://{host}:{port}", nginx, apps)
    try:
        for p, proc in zip(stack.replicas, apps):
            if not ready(f"http://127.0.0.1:{p}", tries=240):
                raise RuntimeError(f"replica on port {p} did not start (exit {proc.poll()})")
        if not _answers(running.url, nginx):
            raise RuntimeError("nginx did not start: " + (run / "error.log").read_text(errors="replace"))
    except BaseException:
        running.stop()
        raise
    state = {"url": running.url, "nginx": nginx.pid, "replicas": [a.pid for a in apps], "ports": stack.replicas}
    state_file(port).write_text(json.dumps(state))
    return running


def _answers(url: str, nginx: subprocess.Popen) -> bool:
    for _ in range(80):
        try:
            return urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok"
        except OSError:
            if nginx.poll() is not None:
                return False
            time.sleep(0.25)
    return False


def serve() -> None:
    port = int(os.environ.get("PORT") or 8080)
    replicas = int(os.environ.get("REPLICAS") or 2)
    listen = os.environ.get("LISTEN") or "127.0.0.1"
    with tempfile.TemporaryDirectory(prefix="sanqu-serve-") as run:
        running = start(port, replicas, listen, Path(run), log=None)
        print(f"sanqu: {running.url}  ({replicas} replicas, access={settings.get('access')}); Ctrl-C stops", flush=True)
        stop = {"now": False}

        def handler(*_):
            stop["now"] = True

        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)
        try:
            while not stop["now"]:
                if running.nginx.poll() is not None or any(a.poll() is not None for a in running.apps):
                    print("a process of the stack ended; stopping the rest", flush=True)
                    break
                time.sleep(0.5)
        finally:
            running.stop()


def render_for_server(out: Path) -> None:
    """deploy/: the nginx site file and the pre-compressed static copy for a server's replicas
    (ports 8501…, server name and TLS files from the environment; see README 在服务器上部署)."""
    out.mkdir(parents=True, exist_ok=True)
    replicas = int(os.environ.get("REPLICAS") or 2)
    stack = Stack(
        port=int(os.environ.get("PORT") or 443),
        listen=os.environ.get("LISTEN") or "0.0.0.0",
        replicas=[8501 + i for i in range(replicas)],
        server_name=os.environ.get("SERVER_NAME") or "_",
        static_root=precompress(out),
        tls_cert=os.environ.get("TLS_CERT", ""),
        tls_key=os.environ.get("TLS_KEY", ""),
    )
    (out / "sanqu.conf").write_text(render(stack), encoding="utf-8")
    print(out / "sanqu.conf")


if __name__ == "__main__":
    if sys.argv[1:2] == ["render"]:
        render_for_server(Path(sys.argv[2]))
    else:
        serve()
