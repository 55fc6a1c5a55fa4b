"""The clock of the access file (share links' expiry, the audit trail): the setting `now`
(SANQU_NOW, tests only) pins it, else the real time. Times are kept in Beijing time."""

import datetime as dt

from sanqu import settings

BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")


def now() -> dt.datetime:
    """The current time (aware, Beijing); SANQU_NOW (ISO, e.g. 2026-12-05T09:00) moves it."""
    pinned = settings.get("now")
    if not pinned:
        return dt.datetime.now(BEIJING)
    return parse(pinned)


def parse(value: str) -> dt.datetime:
    """An ISO date or time as stored or given; a naive one is Beijing time."""
    t = dt.datetime.fromisoformat(value)
    return t.replace(tzinfo=BEIJING) if t.tzinfo is None else t.astimezone(BEIJING)


def stamp(t: dt.datetime) -> str:
    """The stored form: ISO, Beijing time, whole seconds (sorts as text)."""
    return t.astimezone(BEIJING).replace(microsecond=0).isoformat()


def shown(value: str | None) -> str:
    """A stored time as people read it: 2026-12-05 09:00."""
    return parse(value).strftime("%Y-%m-%d %H:%M") if value else ""
