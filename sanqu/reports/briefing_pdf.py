"""The briefing pack as every page offers it: `briefing.build`, with its modules (matplotlib,
fpdf: about 0.5 s and 26 MB) imported when the first briefing is made, not when a server process
starts, so a replica's first visitor does not wait for them and an idle replica does not hold them."""

from sanqu.context import Context
from sanqu.storage.db import Database


def build(db: Database, ctx: Context, demo: bool) -> bytes:
    """The briefing PDF of the context's scope and quarter (`briefing.build`)."""
    from sanqu.reports import briefing

    return briefing.build(db, ctx, demo)
