"""The shared sidebar: district and period filters, kept in the URL."""

from dataclasses import dataclass

import streamlit as st

from sanqu import periods as quarters
from sanqu import store
from sanqu.context import Context
from sanqu.geography import CITY_CODE, CITY_NAME, DISTRICTS
from sanqu.scope import Scope
from ui.data import database

DISTRICT_OPTIONS = (CITY_CODE, *DISTRICTS)


@dataclass(frozen=True)
class Filters:
    ctx: Context  # what the page's queries are asked for: scope, quarter, today
    periods: tuple[str, ...]
    demo: bool
    data_date: str

    @property
    def scope(self) -> Scope:
        return self.ctx.scope

    @property
    def period(self) -> str:
        return self.ctx.period

    @property
    def scope_key(self) -> str:
        return self.scope.key


def _keep(key: str) -> None:
    """on_change of a URL-backed widget: remember the person's choice."""
    st.session_state[f"kept_{key}"] = st.session_state[key]


NONE = "none"  # ?key=none: a multi-select with nothing chosen (an empty value is invalid)


def from_url(key: str, allowed, default, what: str, label=str, convert=str):
    """?key= from the URL when it (after `convert`) is in `allowed`, else the default.
    Returns (value, message); the message names the parameter, its value and the default used."""
    raw = st.query_params.get(key)
    if raw is None:
        return default, None
    try:
        value = convert(raw)
    except ValueError:
        value = None
    if value is not None and value in allowed:
        return value, None
    return default, f"链接中的{what}「{key}={raw}」无效，已改用默认{what}：{label(default)}。"


def list_from_url(key: str, options: dict[str, str], default: tuple[str, ...], what: str, allow_none=True):
    """?key=a,b from the URL: the known ones; the default when none is known (or the value is
    empty); ?key=none is an empty choice if allowed. Returns (values, message naming the invalid ones)."""
    raw = st.query_params.get(key)
    if raw is None or (raw == NONE and allow_none):
        return (tuple(default) if raw is None else ()), None
    asked = [x for x in raw.split(",") if x]
    good = tuple(x for x in asked if x in options)
    bad = "、".join(x for x in asked if x not in options)
    names = lambda keys: "、".join(options[x] for x in keys)  # noqa: E731
    if not good:
        return tuple(default), f"链接中的{what}「{key}={raw}」无效，已改用默认{what}：{names(default)}。"
    if bad:
        return good, f"链接中的{what}「{key}={raw}」中的「{bad}」无效，已忽略；显示：{names(good)}。"
    return good, None


def _seed(key: str, allowed: tuple, default, what: str, parse=None, label=str) -> str | None:
    """Give a URL-backed widget its value before it is drawn: the person's last choice in
    this session (so it survives page switches), else the URL, else the default.
    Returns a message when the URL held an invalid value."""
    kept = st.session_state.get(f"kept_{key}")
    now = st.session_state.get(key)
    now = tuple(now) if isinstance(now, list) else now
    if now is not None and now != kept and (isinstance(now, tuple) or now in allowed):
        kept = now  # set since the last run by a callback or by the page (e.g. a click on a list)
    problem = None
    if kept is None:
        kept, problem = parse() if parse is not None else from_url(key, allowed, default, what, label)
    st.session_state[f"kept_{key}"] = kept
    st.session_state[key] = list(kept) if isinstance(kept, tuple) else kept
    return problem


def url_select(label: str, options, key: str, default: str, format_func=str, **kwargs) -> str:
    """A selectbox whose value lives in the URL (?key=value) and survives page switches."""
    options = list(options)
    if st.session_state.get(f"kept_{key}") not in options:
        st.session_state.pop(f"kept_{key}", None)  # the options changed (e.g. another zone)
    problem = _seed(key, tuple(options), default, label, label=format_func)
    if problem:
        st.warning(problem)
    value = st.selectbox(label, options, key=key, format_func=format_func, on_change=_keep, args=(key,), **kwargs)
    st.query_params[key] = value
    return value


def url_pills(label: str, options: dict[str, str], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """Multi-select pills whose choice lives in the URL as ?key=a,b (?key=none: none chosen)."""

    problem = _seed(key, tuple(options), tuple(default), label, lambda: list_from_url(key, options, default, label))
    if problem:
        st.warning(problem)
    value = st.pills(
        label, list(options), key=key, selection_mode="multi", format_func=options.get, on_change=_keep, args=(key,)
    )
    st.session_state[f"kept_{key}"] = tuple(value)
    st.query_params[key] = ",".join(value) or NONE
    return tuple(value)


def request_district(code: str) -> None:
    """Ask for another district (e.g. a click on the map); applied at the next run's start."""
    st.session_state["pending_district"] = code


@st.cache_data(ttl=30)
def _stale() -> str | None:
    """None when the store is current; else why the newer registers are not shown."""
    if not store.needs_build():
        return None
    reason = store.last_failure().strip().splitlines()
    return "\n".join(reason[:4]) + ("\n…" if len(reason) > 4 else "")


def district_label(code: str) -> str:
    return CITY_NAME + "（全市）" if code == CITY_CODE else DISTRICTS[code]


def sidebar() -> Filters:
    db = database()
    known = tuple(db.periods())
    meta = db.meta()
    pending = st.session_state.pop("pending_district", None)
    if pending in DISTRICT_OPTIONS:
        st.session_state["district"] = st.session_state["kept_district"] = pending
    problems = [
        _seed("district", DISTRICT_OPTIONS, CITY_CODE, "区县", label=district_label),
        _seed("period", known, known[-1], "统计季度", label=quarters.label),
    ]
    with st.sidebar:
        st.selectbox(
            "区县", DISTRICT_OPTIONS, key="district", format_func=district_label, on_change=_keep, args=("district",)
        )
        st.selectbox(
            "统计季度", known[::-1], key="period", format_func=quarters.label, on_change=_keep, args=("period",)
        )
        if meta.get("demo") == "1":
            st.caption("演示数据：地名与区划代码真实，企业、组织与数字均为生成。")
        stale = _stale()
        if stale is not None:
            st.warning(
                "台账文件比数据库新：新台账尚未通过校验或尚未导入（运行 make build 查看），当前显示上次成功导入的数据。"
            )
            if stale:
                st.text(stale)  # register text: shown as text, never markdown
    for problem in filter(None, problems):
        st.warning(problem)
    for key in ("district", "period"):
        st.query_params[key] = st.session_state[key]
    filters = Filters(
        ctx=Context(Scope.parse(st.session_state["district"]), st.session_state["period"]),
        periods=known,
        demo=meta.get("demo") == "1",
        data_date=meta.get("data_date", ""),
    )
    st.session_state["filters"] = filters  # for the share controls drawn after the page
    return filters
