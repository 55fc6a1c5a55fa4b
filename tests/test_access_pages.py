"""AppTest of the access modes the test harness can reach: local, and proxy / oidc / share links
refused (AppTest sends no headers and no client address; the signed-in and header cases are
browser tests: tests/browser/test_access.py, tests/browser/test_oidc.py)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _run(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    return at.run()


def _nothing_shown(at: AppTest) -> None:
    """The refusal and nothing else: no widget, metric, table or chart."""
    assert not at.exception, at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith("无权访问")
    assert not at.metric and not at.dataframe and not at.selectbox and not at.get("plotly_chart")
    assert not at.sidebar.selectbox


def test_local_mode_everyone_sees_the_city(demo_dir, monkeypatch):
    monkeypatch.delenv("SANQU_ACCESS", raising=False)
    at = _run()
    assert not at.exception and not at.error
    assert "本机模式（未启用登录）" in [c.value for c in at.sidebar.caption]
    assert len(at.selectbox(key="district").options) == 14  # the city and its 13 districts
    assert len(at.metric) == 3


def test_local_mode_narrows_without_a_warning(demo_dir, monkeypatch):
    monkeypatch.delenv("SANQU_ACCESS", raising=False)
    at = _run(district="360822")
    assert at.selectbox(key="district").value == "360822"
    assert not at.warning and not at.error
    assert "吉水县" in at.caption[0].value


@pytest.mark.parametrize("trusted", ["127.0.0.1", "10.9.9.9"])
def test_proxy_mode_without_the_header_shows_nothing(demo_dir, monkeypatch, trusted):
    monkeypatch.setenv("SANQU_ACCESS", "proxy")
    monkeypatch.setenv("SANQU_TRUSTED_PROXIES", trusted)
    monkeypatch.setenv("SANQU_ACCESS_DB", str(demo_dir / "no-users.sqlite"))
    at = _run(district="360822")
    _nothing_shown(at)
    reason = "未能确认您的身份" if trusted == "127.0.0.1" else "受信任"
    assert reason in at.error[0].value


def test_big_screen_link_is_refused_too(demo_dir, monkeypatch):
    monkeypatch.setenv("SANQU_ACCESS", "proxy")
    at = _run(mode="screen")
    _nothing_shown(at)


@pytest.mark.parametrize("access", ["local", "proxy", "oidc"])
def test_share_link_refused_until_links_exist(demo_dir, monkeypatch, access):
    monkeypatch.setenv("SANQU_ACCESS", access)
    at = _run(share="anything", district="360822")
    _nothing_shown(at)
    assert "分享链接已被改动或不完整" in at.error[0].value


def test_oidc_mode_without_auth_configured_says_so(demo_dir, monkeypatch):
    monkeypatch.setenv("SANQU_ACCESS", "oidc")
    at = _run()
    assert not at.exception, at.exception
    assert not at.metric and not at.dataframe and not at.sidebar.selectbox
    assert "[auth]" in at.error[0].value


def test_local_mode_upload_page_says_its_limits_in_chinese(demo_dir, monkeypatch):
    monkeypatch.delenv("SANQU_ACCESS", raising=False)
    at = AppTest.from_file(str(Path(APP).parent / "views" / "upload.py"), default_timeout=60).run()
    assert not at.exception and not at.error
    # the machine's own user is a city administrator: the whole city or any of its 13 districts
    assert len(at.selectbox(key="sq_up_district").options) == 14
    assert any("每个文件不超过 200 MB" in c.value for c in at.caption)  # Streamlit's default limit
    assert at.button(key="sq_up_check").disabled  # nothing to check before a file is chosen
