"""Cached access to the store: one connection, frames keyed by simple arguments."""

import contextlib
import copy

import streamlit as st

from sanqu import overview
from sanqu.db import DEAD, Database, StoreHandle, StoreUnavailable
from sanqu.log import log
from sanqu.paths import db_path
from sanqu.scope import Scope


@st.cache_resource
def _handle() -> StoreHandle:
    """The one open store per process (reopened when the file changes)."""
    return StoreHandle()


def database() -> Database:
    """The store's connection (a cursor per query); a clear message and a stop when there is none."""
    try:
        return _handle().get(db_path())
    except StoreUnavailable as err:
        log.warning("shown to a user: %s", err)
        st.error(str(err))
        st.stop()
        raise


def version() -> str:
    """Changes whenever the store is replaced (even with its old mtime): part of every cache key."""
    database()
    return _handle().version()


def recover() -> None:
    """After a dead connection: forget it and the cached results; the next run reopens."""
    _handle().drop()
    st.cache_data.clear()


@st.cache_data(max_entries=64)
def headline(period: str, scope_key: str, v: str) -> list[overview.Kpi]:
    return overview.headline(database(), period, Scope.parse(scope_key))


@st.cache_data(max_entries=64)
def district_table(period: str, scope_key: str, v: str):
    return overview.district_table(database(), period, Scope.parse(scope_key))


@st.cache_data(max_entries=64)
def trend(key: str, scope_key: str, v: str):
    return overview.trend(database(), key, Scope.parse(scope_key))


def today():
    """The date status rules use; SANQU_TODAY pins it (tests, demos)."""
    import datetime as dt

    from sanqu import settings

    pinned = settings.get("today")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


@st.cache_resource(max_entries=16)
def _folium_map(period: str, scope_key: str, v: str, options):
    from sanqu import webmap

    return webmap.build(database(), period, Scope.parse(scope_key), options, today())


def folium_map(period: str, scope_key: str, v: str, options):
    """The map for one view, kept while only the browser-side view (pan, layers) changes.

    A copy each run: st_folium renames the elements of the map it is given, and a renamed
    cached map would draw stale variable names on its next use."""
    return copy.deepcopy(_folium_map(period, scope_key, v, options))


@st.cache_data(max_entries=64)
def district_values(key: str, period: str, scope_key: str, v: str):
    from sanqu import mapdata

    return mapdata.district_values(database(), key, period, Scope.parse(scope_key), today())


@contextlib.contextmanager
def reopen_on_dead_store():
    """A query that finds the connection dead (file replaced, database invalidated) reopens the
    store and reruns once, instead of failing on every page until a restart."""
    try:
        yield
    except DEAD:
        recover()
        if not st.session_state.get("store_retried"):
            st.session_state["store_retried"] = True
            st.rerun()
        log.error("store connection dead twice in a row")
        st.error("数据库连接已失效：已重新打开数据库，请刷新页面。")
    else:
        st.session_state.pop("store_retried", None)
