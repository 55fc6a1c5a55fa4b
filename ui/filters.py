"""The shared sidebar: district and period filters, kept in the URL."""

from dataclasses import dataclass

import streamlit as st

from sanqu import periods as quarters
from sanqu.geography import CITY_CODE, CITY_NAME, DISTRICTS
from sanqu.scope import Scope
from ui.data import database, version

DISTRICT_OPTIONS = (CITY_CODE, *DISTRICTS)


@dataclass(frozen=True)
class Filters:
    scope: Scope
    period: str
    periods: tuple[str, ...]
    demo: bool
    data_date: str
    version: float

    @property
    def scope_key(self) -> str:
        return self.scope.key


def url_select(label: str, options, key: str, default: str, format_func=str, **kwargs) -> str:
    """A selectbox whose value lives in the URL (?key=value) and survives page switches."""
    _from_url(key, tuple(options), default, label)
    value = st.selectbox(label, options, key=key, format_func=format_func, **kwargs)
    st.session_state[f"kept_{key}"] = value
    st.query_params[key] = value
    return value


def url_pills(label: str, options: dict[str, str], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """Multi-select pills whose choice lives in the URL as ?key=a,b (empty = none)."""
    if key not in st.session_state:
        kept = st.session_state.get(f"kept_{key}")
        if kept is not None:
            chosen = list(kept)
        elif key in st.query_params:
            asked = [x for x in st.query_params.get(key, "").split(",") if x]
            bad = [x for x in asked if x not in options]
            if bad:
                st.warning(f"链接中的{label}「{'、'.join(bad)}」无效，已忽略。")
            chosen = [x for x in asked if x in options]
        else:
            chosen = list(default)
        st.session_state[key] = chosen
    value = st.pills(label, list(options), key=key, selection_mode="multi", format_func=options.get)
    st.session_state[f"kept_{key}"] = tuple(value)
    st.query_params[key] = ",".join(value)
    return tuple(value)


def request_district(code: str) -> None:
    """Ask for another district (e.g. a click on the map); applied at the next run's start."""
    st.session_state["pending_district"] = code


def _from_url(key: str, allowed: tuple[str, ...], default: str, what: str) -> None:
    """Seed a widget's state: kept value (page switch), else the URL; invalid values warn."""
    if key in st.session_state:
        return
    kept = st.session_state.get(f"kept_{key}")
    value = kept if kept in allowed else st.query_params.get(key, default)
    if value not in allowed:
        st.session_state.setdefault("url_problems", []).append(f"链接中的{what}「{value}」无效，已显示默认的{what}。")
        value = default
    st.session_state[key] = value


def _district_label(code: str) -> str:
    return CITY_NAME + "（全市）" if code == CITY_CODE else DISTRICTS[code]


def sidebar() -> Filters:
    db = database()
    known = tuple(db.periods())
    meta = db.meta()
    pending = st.session_state.pop("pending_district", None)
    if pending in DISTRICT_OPTIONS:
        st.session_state["district"] = pending
    _from_url("district", DISTRICT_OPTIONS, CITY_CODE, "区县")
    _from_url("period", known, known[-1], "统计季度")
    with st.sidebar:
        st.selectbox("区县", DISTRICT_OPTIONS, key="district", format_func=_district_label)
        st.selectbox("统计季度", known[::-1], key="period", format_func=quarters.label)
        if meta.get("demo") == "1":
            st.caption("演示数据：地名与区划代码真实，企业、组织与数字均为生成。")
    for problem in st.session_state.pop("url_problems", []):
        st.warning(problem)
    for key in ("district", "period"):
        st.session_state[f"kept_{key}"] = st.session_state[key]
        st.query_params[key] = st.session_state[key]
    filters = Filters(
        scope=Scope.parse(st.session_state["district"]),
        period=st.session_state["period"],
        periods=known,
        demo=meta.get("demo") == "1",
        data_date=meta.get("data_date", ""),
        version=version(),
    )
    st.session_state["filters"] = filters  # for the share controls drawn after the page
    return filters
