"""One settings module: environment over the settings file over the default, read at call time."""

import logging

from sanqu import settings
from sanqu.mapping import basemaps
from sanqu.storage.db import Database


def test_environment_then_file_then_default(tmp_path, monkeypatch):
    cfg = tmp_path / "sanqu.toml"
    cfg.write_text('duckdb_memory_limit = "256MB"\nbasemaps = "osm,nonsense"\n', encoding="utf-8")
    monkeypatch.setenv("SANQU_SETTINGS", str(cfg))
    monkeypatch.delenv("SANQU_DUCKDB_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("SANQU_BASEMAPS", raising=False)
    assert settings.get("duckdb_memory_limit") == "256MB"
    assert settings.get("duckdb_threads") == "2"  # the default
    assert basemaps.enabled() == ["osm"]  # an unknown name is ignored
    monkeypatch.setenv("SANQU_DUCKDB_MEMORY_LIMIT", "128MB")
    assert settings.get("duckdb_memory_limit") == "128MB"  # read at call time, environment wins


def test_intranet_tiles_follow_the_setting(monkeypatch):
    monkeypatch.setenv("SANQU_BASEMAPS", "intranet")
    monkeypatch.delenv("SANQU_TILE_URL", raising=False)
    assert basemaps.enabled() == []  # no URL: not offered
    monkeypatch.setenv("SANQU_TILE_URL", "http://tiles.intra/{z}/{x}/{y}.png")
    assert basemaps.enabled() == ["intranet"]
    assert basemaps.basemap("intranet").url == "http://tiles.intra/{z}/{x}/{y}.png"


def test_secrets_are_not_printed(monkeypatch):
    monkeypatch.setenv("SANQU_TIANDITU_KEY", "abc123secret")
    text = settings.describe()
    assert "abc123secret" not in text and "SANQU_TIANDITU_KEY" in text


def test_queries_are_logged_with_their_time(tiny_db, monkeypatch, caplog):
    from sanqu.scope import Scope

    monkeypatch.setenv("SANQU_SLOW_QUERY_MS", "0")  # every query counts as slow: a warning
    with caplog.at_level(logging.DEBUG, logger="sanqu"):
        tiny_db.query("SELECT count(*) FROM parks WHERE district IN (SELECT unnest($scope))", Scope.city())
    found = [r for r in caplog.records if r.name == "sanqu" and "FROM parks" in r.getMessage()]
    assert found and all(r.levelno == logging.WARNING for r in found)
    assert found[0].getMessage().startswith("query ")
    assert isinstance(tiny_db, Database)
