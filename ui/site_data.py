"""Cached frames for the demonstration-site and mechanism pages (keyed by simple arguments:
scope_key, zone key, quarter, today and v = the store's version)."""

import datetime as dt

import streamlit as st

from sanqu import mechanisms, sites
from sanqu.scope import Scope
from ui.data import database


@st.cache_data(max_entries=64)
def site_table(scope_key: str, zone: str, today: dt.date, v: str):
    return sites.site_table(database(), Scope.parse(scope_key), today, zone)


@st.cache_data(max_entries=64)
def milestones(scope_key: str, zone: str, today: dt.date, v: str):
    return sites.milestones(database(), Scope.parse(scope_key), today, zone)


@st.cache_data(max_entries=64)
def inspections(scope_key: str, zone: str, today: dt.date, v: str):
    return sites.inspections(database(), Scope.parse(scope_key), today, zone)


@st.cache_data(max_entries=64)
def overdue_milestones(scope_key: str, zone: str, today: dt.date, v: str):
    return sites.overdue_milestones(database(), Scope.parse(scope_key), today, zone)


@st.cache_data(max_entries=64)
def uninspected_sites(scope_key: str, zone: str, today: dt.date, v: str):
    return sites.uninspected_sites(database(), Scope.parse(scope_key), today, zone)


@st.cache_data(max_entries=64)
def red_flag(scope_key: str, zone: str, today: dt.date, period: str, v: str):
    return sites.red_flag(database(), Scope.parse(scope_key), today, period, zone)


@st.cache_data(max_entries=64)
def contact_points(scope_key: str, zone: str, period: str, v: str):
    return mechanisms.contact_points(database(), Scope.parse(scope_key), period, zone)


@st.cache_data(max_entries=64)
def points_without_visit(scope_key: str, zone: str, period: str, v: str):
    return mechanisms.points_without_visit(database(), Scope.parse(scope_key), period, zone)


@st.cache_data(max_entries=64)
def visits_by_quarter(scope_key: str, zone: str, quarters: tuple[str, ...], v: str):
    return mechanisms.visits_by_quarter(database(), Scope.parse(scope_key), list(quarters), zone)


@st.cache_data(max_entries=64)
def pairings(scope_key: str, zone: str, v: str):
    return mechanisms.pairings(database(), Scope.parse(scope_key), zone)


@st.cache_data(max_entries=64)
def cadre_summary(scope_key: str, zone: str, v: str):
    return mechanisms.cadre_summary(database(), Scope.parse(scope_key), zone)


@st.cache_data(max_entries=128)
def cadre_breakdown(scope_key: str, zone: str, field: str, v: str):
    return mechanisms.cadre_breakdown(database(), Scope.parse(scope_key), field, zone)


@st.cache_data(max_entries=64)
def cadres_by_district(scope_key: str, zone: str, v: str):
    return mechanisms.cadres_by_district(database(), Scope.parse(scope_key), zone)


@st.cache_data(max_entries=64)
def venues(scope_key: str, zone: str, v: str):
    return mechanisms.venues(database(), Scope.parse(scope_key), zone)


@st.cache_data(max_entries=64)
def activities(scope_key: str, zone: str, v: str):
    return mechanisms.activities(database(), Scope.parse(scope_key), zone)


@st.cache_data(max_entries=64)
def assessment(scope_key: str, zone: str, period: str, v: str):
    return mechanisms.assessment(database(), Scope.parse(scope_key), period, zone)
