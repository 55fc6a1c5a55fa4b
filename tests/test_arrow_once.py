"""ui.data.arrow_rows and arrow_table: a Vega-Lite spec's rows and a kept table made into Arrow
once, the very bytes Streamlit makes of them, the spec or frame itself never changed."""

import numpy as np
import pandas as pd
import pyarrow as pa
from streamlit import dataframe_util
from streamlit.dataframe_util import convert_arrow_table_to_arrow_bytes as table_bytes

from sanqu.figures import vega
from tests.evil import PAYLOADS
from ui import data


def _spec(names: list[str]) -> dict:
    rows = [{"id": str(i), "name": n, "rate": 12.5 * i, "n": i, "note": None} for i, n in enumerate(names)]
    return vega.spec([{"mark": "bar", "encoding": {"y": {"field": "name", "type": "nominal"}}}], rows)


def test_rows_as_the_arrow_streamlit_makes_of_them():
    spec = _spec(["吉州区", *PAYLOADS])
    rows = spec["data"]["values"]
    shown = data.arrow_rows(spec)
    table = shown["data"]["values"]
    assert isinstance(table, pa.Table)
    assert table_bytes(table) == dataframe_util.convert_anything_to_arrow_bytes(rows)
    assert table.column("name").to_pylist() == ["吉州区", *PAYLOADS]  # register text: row values, as they were
    assert table.column("n").to_pylist() == list(range(len(rows)))
    assert spec["data"]["values"] is rows  # the kept spec is left as it was
    assert {k: v for k, v in shown.items() if k != "data"} == {k: v for k, v in spec.items() if k != "data"}


def test_made_once_per_spec_and_bounded():
    spec = _spec(["A", "B"])
    first = data.arrow_rows(spec)
    assert data.arrow_rows(spec) is first
    assert data.arrow_rows(_spec(["A", "B"])) is not first  # an equal spec is another spec
    for i in range(data.ARROW_SPECS + 5):
        data.arrow_rows(_spec([str(i)]))
    assert len(data._made) == data.ARROW_SPECS
    assert data.arrow_rows(spec) is not first  # evicted: made again


def test_a_spec_without_listed_rows_is_shown_as_it_is():
    named = {"data": {"name": "rows"}, "mark": "bar"}
    assert data.arrow_rows(named) is named
    assert data.arrow_rows({"mark": "bar"}) == {"mark": "bar"}


def test_a_table_as_the_arrow_streamlit_makes_of_it_once():
    df = pd.DataFrame(
        {
            "名称": ["吉州区工业园", *PAYLOADS],
            "企业数": pd.array([3, *[None] * len(PAYLOADS)], dtype="Int64"),
            "覆盖率": [0.5, *[np.nan] * len(PAYLOADS)],
        }
    )
    table = data.arrow_table(df)
    assert table_bytes(table) == dataframe_util.convert_anything_to_arrow_bytes(df)
    assert table.column("名称").to_pylist() == ["吉州区工业园", *PAYLOADS]
    assert data.arrow_table(df) is table
    assert data.arrow_table(df.copy()) is not table
