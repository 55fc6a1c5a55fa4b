"""The shared sidebar: district and period filters, kept in the URL."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from sanqu import geography, periods
from sanqu.access.identity import Identity, narrow, parse_codes
from sanqu.context import Context
from sanqu.scope import Scope
from sanqu.storage import store
from ui import identity
from ui.data import database


def all_options() -> tuple[str, ...]:
    """Every choice of the sidebar: the region, then (province packs) each city followed by its
    counties, else the counties. A township joins them when chosen (a map click, a link): `district_options`."""
    pack = geography.pack()
    out = [pack.region.code]
    for child in pack.children(pack.region.code):
        out += [child.code, *pack.counties(child.code)] if child.level == "city" else [child.code]
    return tuple(out)


@dataclass(frozen=True)
class Filters:
    ctx: Context  # what the page's queries are asked for: scope, quarter, today
    periods: tuple[str, ...]
    demo: bool
    data_date: str
    who: Identity | None = None  # who is looking (ui.identity): the scope above lies within theirs

    @property
    def scope(self) -> Scope:
        return self.ctx.scope

    @property
    def period(self) -> str:
        return self.ctx.period

    @property
    def scope_key(self) -> str:
        return self.scope.key


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


def _seed(key: str, from_link: Callable[[], tuple[Any, str | None]]) -> str | None:
    """Before a URL-backed widget is created: its value in session_state.

    The first time in a session the value comes from the link (`from_link` checks it and returns
    its message for an invalid value). After that the widget's own value is written back to its
    key: Streamlit gives each page's widget its own id (the page's script hash is part of it), so
    without this a widget of the same key on another page (the sidebar's district and period,
    the zone filter) would start at its default on the first run after a page switch. With
    `persist_state="session"` the key outlives pages that do not draw the widget.
    """
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]
        return None
    value, problem = from_link()
    st.session_state[key] = list(value) if isinstance(value, tuple) else value
    return problem


def url_select(label: str, options, key: str, default: str, format_func=str, **kwargs) -> str:
    """A selectbox whose value is kept in the URL as ?key=value and survives page switches.

    `default` (for a link without the parameter or with an invalid one) is the first option: the
    selectbox itself falls back to its first option when a kept value is no longer offered (a park
    of another district), quietly."""
    options = list(options)
    problem = _seed(key, lambda: from_url(key, options, default, label, format_func))
    if problem:
        st.warning(problem)
    shown = _options_only(options, format_func)
    value = st.selectbox(label, options, key=key, format_func=shown, persist_state="session", **kwargs)
    st.query_params[key] = value
    return value


def _options_only(options: list, format_func):
    """`format_func` for the options, raising for anything else (a label, not an option): as
    AppTest tells a choice made by its label (as the browser makes it) from one made by value."""
    offered = set(options)

    def shown(value):
        if value not in offered:
            raise KeyError(value)
        return format_func(value)

    return shown


def url_value(key: str, options, default: str) -> str:
    """What `url_select(…, key, default)` will show, read before it is drawn (to start the work it
    asks for early): the session's choice, else the link's, else the default."""
    options = list(options)
    chosen = st.session_state.get(key)
    return str(chosen if chosen in options else from_url(key, options, default, "")[0])


def url_pills(label: str, options: dict[str, str], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """Multi-select pills whose choice is kept in the URL as ?key=a,b (?key=none: none chosen)."""
    problem = _seed(key, lambda: list_from_url(key, options, default, label))
    if problem:
        st.warning(problem)
    value = st.pills(
        label, list(options), key=key, selection_mode="multi", format_func=options.__getitem__, persist_state="session"
    )
    st.query_params[key] = ",".join(value) or NONE
    return tuple(value)


def request_district(code: str) -> None:
    """Show another district or unit (a click on the map or on a chart's bar, a breadcrumb): only
    one within the viewer's scope. Call it from a callback (an on_change / on_select / on_click,
    which runs before the page), so that it sets the sidebar widget's own key before the widget
    is created."""
    if code in district_options(identity.current().scope, code):
        st.session_state["district"] = code


@st.cache_data(ttl=30)
def _stale() -> str | None:
    """None when the store is current; else why the newer registers are not shown."""
    if not store.needs_build():
        return None
    reason = store.last_failure().strip().splitlines()
    return "\n".join(reason[:4]) + ("\n…" if len(reason) > 4 else "")


def whole(name: str) -> str:
    """'吉安市' -> '（全市）', '江西省' -> '（全省）'."""
    return f"（全{name[-1]}）"


def district_label(code: str) -> str:
    unit = geography.pack().by_code.get(code)
    if unit is not None and unit.level in ("province", "city"):
        return unit.name + whole(unit.name)
    if unit is not None:
        return Scope.unit(code).label
    return Scope.parse(code).label + "（全部）"


def district_options(allowed: Scope, chosen: str | None = None) -> tuple[str, ...]:
    """The district choices of someone whose scope is `allowed`: the region and every unit for
    the region; a county's own district only; several districts and, first, all of them together.
    `chosen`, a township within `allowed`, is one more choice, after its county."""
    if allowed.is_city:
        options = all_options()
    elif allowed.township or len(allowed.counties) == 1:
        options = (allowed.key,)
    else:
        options = (allowed.key, *allowed.counties)
    if chosen and chosen not in options and _township_within(allowed, chosen):
        county = geography.pack().unit(chosen).parent
        at = options.index(county) + 1 if county in options else len(options)
        options = (*options[:at], chosen, *options[at:])
    return options


def _township_within(allowed: Scope, code: str) -> bool:
    unit = geography.pack().by_code.get(code)
    return unit is not None and unit.level == "township" and narrow(allowed, (code,)) == (Scope.unit(code), False)


def _known(codes: tuple[str, ...]) -> bool:
    return bool(codes) and all(c in geography.pack().by_code for c in codes)


def district_from_url(allowed: Scope) -> tuple[str, str | None]:
    """?district= checked against what the viewer may see: (the choice to show, a message).
    Any unit code of the pack is understood; an unknown code is invalid; a known one outside the
    viewer's scope is refused (narrowing only, never widening) and the allowed view is shown
    instead, saying so. A township inside the viewer's scope is shown as itself (every page's
    queries honour a township scope, `$township`)."""
    options = district_options(allowed)
    raw = st.query_params.get("district")
    if raw is None:
        return options[0], None
    codes = parse_codes(raw)
    try:
        scope, refused = narrow(allowed, codes) if _known(codes) else (None, False)
    except ValueError:
        scope = None
    if scope is None:
        return from_url("district", options, options[0], "区县", district_label)
    if refused:
        shown = scope.key if scope.key in options else options[0]
        return shown, f"链接中的区县「district={raw}」超出您的查看范围，已改为显示您可查看的：{district_label(shown)}。"
    if scope.township:
        return scope.key, None
    shown = scope.key if scope.key in options else options[0]
    if shown != scope.key:
        return shown, f"链接中的区县「district={raw}」不是可选的组合，已显示：{district_label(shown)}。"
    return shown, None


def scope_of(who: Identity, district: str) -> Scope:
    """The scope every query of this run is asked for: the viewer's, narrowed by the choice."""
    return narrow(who.scope, parse_codes(district))[0]


def sidebar() -> Filters:
    db = database()
    known = tuple(db.periods())
    meta = db.meta()
    who = identity.current()
    problems = [
        _seed("district", lambda: district_from_url(who.scope)),
        _seed("period", lambda: from_url("period", known, known[-1], "统计季度", periods.label)),
    ]
    options = district_options(who.scope, st.session_state["district"])
    if st.session_state["district"] not in options:  # never a district beyond the scope
        st.session_state["district"] = options[0]
    with st.sidebar:
        district = st.selectbox("区县", options, key="district", format_func=district_label, persist_state="session")
        period = st.selectbox("统计季度", known[::-1], key="period", format_func=periods.label, persist_state="session")
        if meta.get("demo") == "1":
            st.caption("演示数据：地名与区划代码真实，企业、组织与数字均为生成。")
        stale = _stale()
        if stale is not None:
            st.warning(
                "台账文件比数据库新：新台账尚未通过校验或尚未导入（运行 make build 查看），当前显示上次成功导入的数据。"
            )
            if stale and who.is_admin:  # the refused registers' rows may be any district's
                st.text(stale)  # register text: shown as text, never markdown
    for problem in filter(None, problems):
        st.warning(problem)
    st.query_params["district"], st.query_params["period"] = district, period
    filters = Filters(
        ctx=Context(scope_of(who, district), period),
        periods=known,
        demo=meta.get("demo") == "1",
        data_date=periods.data_date(period, meta.get("data_date", "")),
        who=who,
    )
    st.session_state["filters"] = filters  # for the share controls drawn after the page
    return filters
