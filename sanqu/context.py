"""What every query is asked for: whose data (scope), which quarter, and which day.

Every query function takes `(db, ctx, …its own filters…)`. A Context is frozen and hashable, so
it is the cache key of `ui.data.cached` as it is.
"""

import datetime as dt
from dataclasses import dataclass, field, replace

from sanqu import periods, settings
from sanqu.scope import Scope

FIELDS = ("scope", "period", "today")


def today() -> dt.date:
    """The date status rules use; the setting `today` (SANQU_TODAY) pins it (tests, demos)."""
    pinned = settings.get("today")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


@dataclass(frozen=True)
class Context:
    scope: Scope
    period: str  # 'YYYYQn': coverage and the registers' status as of its last day
    today: dt.date | None = field(default_factory=today)  # the day of the 示范点 rules; None: blanked by `only`

    @property
    def period_start(self) -> dt.date:
        return periods.start_date(self.period)

    @property
    def period_end(self) -> dt.date:
        return periods.end_date(self.period)

    @property
    def day(self) -> dt.date:
        """`today`, which a query reads through this: it raises where `only` blanked the day."""
        if self.today is None:
            raise ValueError("the day was blanked: the query said it does not read it (`sanqu.context.uses`)")
        return self.today

    @property
    def as_of(self) -> dt.date:
        """The quarter's last day, or today while the quarter is not over."""
        return min(self.period_end, self.day)

    def at(self, period: str) -> "Context":
        """The same scope and day at another quarter."""
        return replace(self, period=period)

    def county_wide(self) -> "Context":
        """For a register without a township column: this context at the scope's county (a township
        scope's county; any other scope as it is). What a page shows from it at a township scope
        is labelled as the county's (`county_note`), never as the township's."""
        if not self.scope.township:
            return self
        return replace(self, scope=Scope(self.scope.counties))

    def only(self, used: tuple[str, ...]) -> "Context":
        """This context with the fields a query does not read blanked ('' quarter, no day), so
        that a cache keys it by what it reads (reading a blanked quarter raises)."""
        return Context(self.scope, self.period if "period" in used else "", self.today if "today" in used else None)


NO_TOWNSHIP = "该台账未登记乡镇"


def county_note(ctx: Context, register: str) -> str | None:
    """At a township scope, the label of figures from a register without townships (read at the
    county, `Context.county_wide`); None at any other scope."""
    if not ctx.scope.township:
        return None
    county = Scope(ctx.scope.counties).label
    return f"「{register}」{NO_TOWNSHIP}：此处为{county}全县数据，非{ctx.scope.label}的数据。"


def org_note(ctx: Context) -> str | None:
    """At a township scope, how organisations (registered without a township) are placed in it;
    None at any other scope."""
    if not ctx.scope.township:
        return None
    return f"党组织台账未登记乡镇：此处为覆盖{ctx.scope.label}所辖单位的党组织（按其覆盖单位的所在乡镇归属）。"


def uses(*used: str):
    """Declare the context fields a query reads (undeclared: all of them). `ui.data.cached` keys
    the query by those only, e.g. a trend over every quarter is not recomputed for another quarter."""
    unknown = set(used) - set(FIELDS)
    if unknown or "scope" not in used:
        raise ValueError(f"a query reads the scope and any of {FIELDS}, not {sorted(unknown)}")

    def mark(fn):
        fn.context_fields = used
        return fn

    return mark
