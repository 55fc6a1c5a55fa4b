"""ui.data.arrow_rows and arrow_table: a Vega-Lite spec's rows and a kept table made into Arrow
once (a spec's rows as the values Streamlit makes of them, a table the very bytes), the spec or
frame itself never changed."""

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
    _as_streamlit_makes(table, rows)
    assert table.column("name").to_pylist() == ["吉州区", *PAYLOADS]  # register text: row values, as they were
    assert table.column("n").to_pylist() == list(range(len(rows)))
    assert spec["data"]["values"] is rows  # the kept spec is left as it was
    assert {k: v for k, v in shown.items() if k != "data"} == {k: v for k, v in spec.items() if k != "data"}


def _as_streamlit_makes(table: pa.Table, rows: list[dict]) -> None:
    """The same columns, values and kinds of value as Streamlit's own conversion (through pandas)."""
    theirs = dataframe_util.convert_pandas_df_to_arrow_table(dataframe_util.convert_anything_to_pandas_df(rows))
    assert table.column_names == theirs.column_names
    assert table.to_pylist() == theirs.to_pylist()
    for mine, its in zip(table.schema, theirs.schema, strict=True):
        same = pa.types.is_string(its.type) or pa.types.is_large_string(its.type)
        assert (pa.types.is_string(mine.type) or pa.types.is_large_string(mine.type)) if same else mine.type == its.type


def test_rows_of_other_keys_nan_and_mixed_kinds():
    rows = [
        {"id": "a", "rate": 12.5, "n": 1, "hl": True},
        {"id": "b", "rate": float("nan"), "n": 2, "hl": False, "extra": "只在第二行"},
        {"id": "c", "rate": None, "n": 3, "hl": False},
    ]
    table = data.rows_table(rows)
    assert table.column_names == ["id", "rate", "n", "hl", "extra"]
    assert table.column("rate").to_pylist() == [12.5, None, None]  # NaN drawn as nothing, as pandas gives it
    assert table.column("extra").to_pylist() == [None, "只在第二行", None]
    _as_streamlit_makes(table, rows)
    mixed = [{"v": 1}, {"v": "一"}]  # a column of two kinds: Streamlit's own conversion, as before
    assert data.rows_table(mixed).to_pylist() == [{"v": "1"}, {"v": "一"}]
    assert data.rows_table([]).num_rows == 0


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
