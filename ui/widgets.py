"""Small shared widgets."""

import streamlit as st

from sanqu import periods
from sanqu.mapping.webmap import LAYERS
from sanqu.reports import map_tables
from sanqu.reports.export import to_excel
from ui import access_log
from ui.data import database
from ui.filters import Filters
from ui.zone_widgets import download_list, sheet_title


def download_excel(
    df, name: str, f: Filters, key: str, sheet: str = "清单", notes: dict[str, str] | None = None
) -> None:
    """A download button for `df` (Chinese headers) as .xlsx, with the filter and `notes` on a
    说明 sheet (the one export helper, `download_list`, without the page's filter line)."""
    download_list(df, name, f, key, None, sheet, notes=notes)


def download_map(f: Filters, values, indicator: str, layers: tuple[str, ...]) -> None:
    """The map page's export: the indicator by district (`mapdata.district_values`) on 分区县指标,
    the points of the layers shown on 图层点位. The workbook is made when the button is pressed
    (the points of the whole city are ≈ 0.3 s of queries that no run of the map should wait for);
    its 说明 sheet is `download_list`'s."""
    by_district = map_tables.district_sheet(values, indicator)
    shown = "、".join(LAYERS[k] for k in layers if k != "relations") or "无"
    name = f"地图_{by_district['指标'].iloc[0] if len(by_district) else indicator}"
    filters = {"指标": name.removeprefix("地图_"), "图层": shown}
    if len(by_district) == 0:
        download_list(by_district, name, f, "map_export", filters, "分区县指标")
        return
    about = {"内容": name, "范围": f.scope.label, "筛选条件": "；".join(f"{k}：{v}" for k, v in filters.items())}
    about |= {"统计季度": periods.label(f.period), "数据截至": f.data_date, "行数": str(len(by_district))}
    if f.demo:
        about["数据性质"] = "演示数据（生成数据，非真实台账）"
    db, ctx, title = database(), f.ctx, sheet_title(name, f)

    def workbook() -> bytes:  # runs on its own thread when pressed: plain calls, no Streamlit
        points = map_tables.layer_points(db, ctx, tuple(layers))
        return to_excel(by_district, "分区县指标", about, title, {"图层点位": points})

    st.download_button(
        f"导出 Excel（{len(by_district):,} 行）",
        data=workbook,
        file_name=f"{name}_{f.scope.key}_{f.period}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="map_export",
        icon=":material/download:",
        on_click=access_log.exported,  # the audit trail (rows: the district sheet's; points follow the layers)
        args=(f"{name}_{f.scope.key}_{f.period}.xlsx", access_log.scope_codes(f.scope), len(by_district)),
    )
