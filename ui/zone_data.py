"""Cached figures of the three zone pages, keyed by simple arguments (period, scope_key,
`v` = the store's version, and each page's filters)."""

import streamlit as st

from sanqu import communities, parks, scenic
from sanqu.scope import Scope
from ui.data import database

# ------------------------------------------------------------------ 工业园区


@st.cache_data(max_entries=32)
def park_options(scope_key: str, v: str):
    return parks.parks(database(), Scope.parse(scope_key))


@st.cache_data(max_entries=32)
def park_industries(scope_key: str, v: str):
    return parks.industries(database(), Scope.parse(scope_key))


@st.cache_data(max_entries=64)
def park_trend(scope_key: str, v: str, park: str, scale: str, industry: str):
    return parks.trend(database(), Scope.parse(scope_key), park, scale, industry)


@st.cache_data(max_entries=64)
def park_list(period: str, scope_key: str, v: str, park: str, scale: str, industry: str):
    return parks.enterprise_list(database(), period, Scope.parse(scope_key), park, scale, industry)


@st.cache_data(max_entries=64)
def park_by_park(period: str, scope_key: str, v: str, scale: str, industry: str):
    return parks.by_park(database(), period, Scope.parse(scope_key), scale, industry)


@st.cache_data(max_entries=64)
def park_by_district(period: str, scope_key: str, v: str, park: str, scale: str, industry: str):
    return parks.by_district(database(), period, Scope.parse(scope_key), park, scale, industry)


@st.cache_data(max_entries=64)
def park_by_ownership(period: str, scope_key: str, v: str, park: str, scale: str, industry: str):
    return parks.by_ownership(database(), period, Scope.parse(scope_key), park, scale, industry)


@st.cache_data(max_entries=64)
def park_tree(period: str, scope_key: str, v: str, park: str):
    return parks.tree(database(), period, Scope.parse(scope_key), park)


@st.cache_data(max_entries=64)
def park_instructor_sources(period: str, scope_key: str, v: str, park: str, scale: str, industry: str):
    db, scope = database(), Scope.parse(scope_key)
    return parks.instructor_sources(db, period, scope, parks.status(db, period, scope, park, scale, industry))


# ------------------------------------------------------------------ 城乡社区


@st.cache_data(max_entries=32)
def community_townships(scope_key: str, v: str):
    return communities.townships(database(), Scope.parse(scope_key))


@st.cache_data(max_entries=64)
def community_trend(scope_key: str, v: str, kind: str, town: str):
    return communities.trend(database(), Scope.parse(scope_key), kind, town)


@st.cache_data(max_entries=64)
def community_changes(period: str, compare: str, scope_key: str, v: str, kind: str, town: str):
    """This quarter's community status with the stars at the comparison quarter."""
    return communities.star_changes(database(), period, compare, Scope.parse(scope_key), kind, town)


@st.cache_data(max_entries=64)
def star_distribution(period: str, scope_key: str, v: str, kind: str, town: str):
    return communities.star_distribution(database(), period, Scope.parse(scope_key), kind, town)


# ------------------------------------------------------------------ 旅游景区


@st.cache_data(max_entries=64)
def scenic_trend(scope_key: str, v: str, a_level: str, kind: str):
    return scenic.trend(database(), Scope.parse(scope_key), a_level, kind)


@st.cache_data(max_entries=64)
def scenic_list(period: str, scope_key: str, v: str, a_level: str, kind: str):
    return scenic.scenic_list(database(), period, Scope.parse(scope_key), a_level, kind)


@st.cache_data(max_entries=64)
def trade_orgs(period: str, scope_key: str, v: str):
    return scenic.trade_orgs(database(), period, Scope.parse(scope_key))


@st.cache_data(max_entries=32)
def theme(scope_key: str, v: str):
    return scenic.theme(database(), Scope.parse(scope_key))
