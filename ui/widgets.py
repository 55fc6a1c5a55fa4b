"""Small shared widgets."""

from sanqu.mapping.webmap import LAYERS
from sanqu.reports import map_tables
from ui.data import database
from ui.filters import Filters
from ui.zone_widgets import download_list


def download_excel(
    df, name: str, f: Filters, key: str, sheet: str = "清单", notes: dict[str, str] | None = None
) -> None:
    """A download button for `df` (Chinese headers) as .xlsx, with the filter and `notes` on a
    说明 sheet (the one export helper, `download_list`, without the page's filter line)."""
    download_list(df, name, f, key, None, sheet, notes=notes)


def download_map(f: Filters, values, indicator: str, layers: tuple[str, ...]) -> None:
    """The map page's export: the indicator by district (`mapdata.district_values`) on 分区县指标,
    the points of the layers shown on 图层点位, read when the button is pressed (the points of the
    whole city are ≈ 0.3 s of queries that no run of the map should wait for)."""
    by_district = map_tables.district_sheet(values, indicator)
    shown = "、".join(LAYERS[k] for k in layers if k != "relations") or "无"
    name = f"地图_{by_district['指标'].iloc[0] if len(by_district) else indicator}"
    filters = {"指标": name.removeprefix("地图_"), "图层": shown}
    db, ctx = database(), f.ctx

    def points() -> dict:
        return {"图层点位": map_tables.layer_points(db, ctx, tuple(layers))}

    download_list(by_district, name, f, "map_export", filters, "分区县指标", more=points)
