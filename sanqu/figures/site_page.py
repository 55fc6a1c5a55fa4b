"""What the 示范点 page's progress board shows for one choice (district, quarter, zone, the
statuses shown): the stage panels, the two charts (Vega-Lite) and the export, built once per choice
(`ui.data.kept`), so that a repeated choice costs nothing."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sanqu.context import Context
from sanqu.figures import vega_sites
from sanqu.programmes import site_tables as tables
from sanqu.programmes import sites
from sanqu.storage.db import Database, Source


@dataclass(frozen=True)
class SiteBoard:
    panels: list[tables.StagePanel]
    stages: dict  # sites per stage and status (a Vega-Lite spec)
    districts: dict  # sites per district and status (a Vega-Lite spec)
    export: pd.DataFrame  # the listed sites for Excel


def board(
    db: Database, ctx: Context, zone: str, shown: tuple[str, ...], fetch: Callable[..., Any] | None = None
) -> SiteBoard:
    """The board of the sites of `zone` whose status is one of `shown`; `fetch(fn, ctx, *args)`:
    the cache the site table goes through (the page's own; none: straight to the store)."""
    table = Source(db, fetch)(sites.site_table, ctx, zone)
    listed = table[table["status"].isin(shown)]
    return SiteBoard(
        panels=tables.stage_panels(listed),
        stages=vega_sites.site_board_bars(sites.board(listed)),
        districts=vega_sites.district_status_bars(sites.district_status(listed, ctx.scope)),
        export=tables.site_export(listed),
    )
