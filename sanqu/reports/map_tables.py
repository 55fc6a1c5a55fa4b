"""The map page's export: the indicator by district and the points of the layers shown."""

import pandas as pd

from sanqu import fmt
from sanqu.context import Context
from sanqu.geography import district_name
from sanqu.mapping import mapdata
from sanqu.mapping.webmap import LAYERS
from sanqu.metrics.indicators import indicator
from sanqu.programmes.sites import STATUS_LABELS
from sanqu.storage.db import Database

POINT_COLUMNS = ["图层", "编号", "名称", "区县代码", "区县", "类别或状态", "经度", "纬度", "坐标"]
PLACED = {True: "实测", False: "示意（乡镇驻地）"}


def district_sheet(values: pd.DataFrame, key: str) -> pd.DataFrame:
    """`mapdata.district_values` with Chinese headers: the indicator's name, n, d and rate."""
    ind = indicator(key)
    return pd.DataFrame(
        {
            "指标": ind.title,
            "区县代码": values["district"],
            "区县": values["district"].map(district_name),
            "分子": values["numerator"].astype(int),
            "分母": values["denominator"].astype(int),
            "比率": values["rate"].map(fmt.pct),
        }
    )


def _points(layer: str, df: pd.DataFrame, ident: str, what: pd.Series, exact) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "图层": LAYERS[layer],
            "编号": df[ident],
            "名称": df["name"],
            "区县代码": df["district"],
            "区县": df["district"].map(district_name),
            "类别或状态": what,
            "经度": df["x"].round(5),
            "纬度": df["y"].round(5),
            "坐标": exact,
        }
    )


def layer_points(db: Database, ctx: Context, layers: tuple[str, ...]) -> pd.DataFrame:
    """One row per point of the shown point layers (关系连线 are lines, not points: left out)."""
    out = []
    if "parks" in layers:
        df = mapdata.parks(db, ctx)
        what = df["level"] + " · 组织覆盖率 " + df["rate"].map(fmt.pct)
        out.append(_points("parks", df, "park_id", what, df["exact"].map(PLACED)))
    for layer, fetch in (("enterprises", mapdata.enterprises), ("scenic", mapdata.scenic)):
        if layer in layers:
            df = fetch(db, ctx)
            out.append(_points(layer, df, "entity_id", df["cover"], df["exact"].map(PLACED)))
    if "communities" in layers:
        df = mapdata.communities(db, ctx)
        out.append(_points("communities", df, "community_id", df["kind"] + " · " + df["org_level"], ""))
    if "sites" in layers:
        df = mapdata.demo_sites(db, ctx)
        what = df["stage"] + " · " + df["status"].map(STATUS_LABELS)
        out.append(_points("sites", df, "site_id", what, df["exact"].map(PLACED)))
    return pd.concat(out, ignore_index=True)[POINT_COLUMNS] if out else pd.DataFrame(columns=POINT_COLUMNS)
