"""Cached access to the store: one connection, frames keyed by simple arguments."""

import copy
import threading

import streamlit as st

from sanqu import overview
from sanqu.db import Database
from sanqu.paths import db_path
from sanqu.scope import Scope


@st.cache_resource
def _open() -> dict:
    """The one open store per process: {'db': Database, 'version': mtime}."""
    return {"lock": threading.Lock()}


def database() -> Database:
    """The store's connection (a cursor per query). A rebuilt file (new mtime) is reopened:
    DuckDB shares one instance per path, so the old connection is closed first, or the
    new one would still read the replaced file."""
    path = db_path()
    if not path.exists():
        st.error("数据库尚未生成：请运行 `make run`（或 `python -m sanqu ensure`）。")
        st.stop()
    state, mtime = _open(), path.stat().st_mtime
    with state["lock"]:
        if state.get("version") != mtime or state.get("path") != str(path):
            if "db" in state:
                state["db"].close()
            state.update(db=Database(path), version=mtime, path=str(path))
        return state["db"]


def version() -> float:
    return db_path().stat().st_mtime


@st.cache_data(max_entries=64)
def headline(period: str, scope_key: str, v: float) -> list[overview.Kpi]:
    return overview.headline(database(), period, Scope.parse(scope_key))


@st.cache_data(max_entries=64)
def district_table(period: str, scope_key: str, v: float):
    return overview.district_table(database(), period, Scope.parse(scope_key))


@st.cache_data(max_entries=64)
def trend(key: str, scope_key: str, v: float):
    return overview.trend(database(), key, Scope.parse(scope_key))


def today():
    """The date status rules use; SANQU_TODAY pins it (tests, demos)."""
    import datetime as dt
    import os

    pinned = os.environ.get("SANQU_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


@st.cache_resource(max_entries=16)
def _folium_map(period: str, scope_key: str, v: float, options):
    from sanqu import webmap

    return webmap.build(database(), period, Scope.parse(scope_key), options, today())


def folium_map(period: str, scope_key: str, v: float, options):
    """The map for one view, kept while only the browser-side view (pan, layers) changes.

    A copy each run: st_folium renames the elements of the map it is given, and a renamed
    cached map would draw stale variable names on its next use."""
    return copy.deepcopy(_folium_map(period, scope_key, v, options))


@st.cache_data(max_entries=64)
def district_values(key: str, period: str, scope_key: str, v: float):
    from sanqu import mapdata

    return mapdata.district_values(database(), key, period, Scope.parse(scope_key), today())
