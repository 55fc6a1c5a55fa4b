"""The nginx configuration make serve and deploy/ render (scripts/serve.py), checked by a real
`nginx -t` and by what it says about access."""

import os
import subprocess
from pathlib import Path

import pytest

from scripts import serve


def _stack(tmp_path: Path, **kw) -> serve.Stack:
    static = tmp_path / "static-root"
    (static / "static").mkdir(parents=True, exist_ok=True)
    return serve.Stack(port=18080, replicas=[18501, 18502], static_root=static, **kw)


def _nginx_t(tmp_path: Path, site: str) -> subprocess.CompletedProcess:
    exe = serve.shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(exe, os.X_OK):
        pytest.skip("nginx is not installed (.ci/run installs it)")
    (tmp_path / "sanqu.conf").write_text(site)
    main = tmp_path / "main.conf"
    main.write_text(
        f"pid {tmp_path}/pid; error_log {tmp_path}/err.log; events {{}}\n"
        f"http {{ client_body_temp_path {tmp_path}/b; proxy_temp_path {tmp_path}/p; include {tmp_path}/sanqu.conf; }}\n"
    )
    return subprocess.run([exe, "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True)


def test_the_rendered_configuration_is_valid_nginx_with_two_sticky_replicas(tmp_path, monkeypatch):
    monkeypatch.setenv("SANQU_ACCESS", "oidc")
    site = serve.render(_stack(tmp_path))
    assert "hash $sanqu_replica_key consistent;" in site and "    ip_hash;" not in site
    assert "server 127.0.0.1:18501" in site and "server 127.0.0.1:18502" in site
    assert '"127.0.0.1:18501" r1;' in site and '"127.0.0.1:18502" r2;' in site
    assert "client_max_body_size 200m;" in site
    assert "proxy_read_timeout 1d;" in site
    result = _nginx_t(tmp_path, site)
    assert result.returncode == 0, result.stderr


def test_with_tls_it_listens_with_ssl_secure_cookies_and_redirects_http(tmp_path, monkeypatch):
    monkeypatch.setenv("SANQU_ACCESS", "oidc")
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1"]
        + ["-subj", "/CN=dangjian.example.gov.cn"],
        check=True,
        capture_output=True,
    )
    site = serve.render(_stack(tmp_path, tls_cert=str(cert), tls_key=str(key), server_name="dangjian.example.gov.cn"))
    assert "listen 127.0.0.1:18080 ssl http2;" in site
    assert "SameSite=Lax; Secure" in site and "Strict-Transport-Security" in site
    assert "return 301 https://$host$request_uri;" in site
    result = _nginx_t(tmp_path, site.replace("listen 80;", "listen 127.0.0.1:18081;"))
    assert result.returncode == 0, result.stderr


def test_proxy_mode_admits_the_gateway_only_and_other_modes_drop_the_identity_header(tmp_path, monkeypatch):
    monkeypatch.setenv("SANQU_ACCESS", "proxy")
    monkeypatch.setenv("SANQU_TRUSTED_PROXIES", "10.20.0.5, 10.20.0.6")
    site = serve.render(_stack(tmp_path))
    assert "allow 10.20.0.5;\n    allow 10.20.0.6;\n    deny all;" in site
    assert 'proxy_set_header X-Forwarded-User "";' not in site
    assert serve.replica_env("s")["SANQU_TRUSTED_PROXIES"] == "127.0.0.1"  # the replicas trust nginx alone
    for mode in ("local", "oidc"):
        monkeypatch.setenv("SANQU_ACCESS", mode)
        site = serve.render(_stack(tmp_path))
        assert "deny all;" not in site
        assert site.count('proxy_set_header X-Forwarded-User "";') == 3  # in every proxied location


def test_frame_ancestors_and_basemap_hosts_in_the_policy(tmp_path, monkeypatch):
    monkeypatch.setenv("SANQU_FRAME_ANCESTORS", "https://portal.example.gov.cn, https://oa.example.gov.cn")
    monkeypatch.setenv("SANQU_BASEMAPS", "tianditu,intranet")
    monkeypatch.setenv("SANQU_TILE_URL", "https://tiles.example.gov.cn:8443/{z}/{x}/{y}.png")
    policy = serve.csp()
    assert "frame-ancestors 'self' https://portal.example.gov.cn https://oa.example.gov.cn" in policy
    assert "img-src 'self' data: blob: https://*.tianditu.gov.cn https://tiles.example.gov.cn:8443;" in policy
    assert "'unsafe-eval'" not in policy and "default-src 'self'" in policy
    monkeypatch.delenv("SANQU_FRAME_ANCESTORS")
    monkeypatch.delenv("SANQU_BASEMAPS")
    assert serve.csp().endswith("frame-ancestors 'self'") and "tianditu" not in serve.csp()


def test_local_mode_refuses_to_listen_beyond_this_machine(tmp_path, monkeypatch):
    monkeypatch.setenv("SANQU_ACCESS", "local")
    with pytest.raises(SystemExit, match="127.0.0.1 only"):
        serve.start(18080, 1, "0.0.0.0", tmp_path)
