"""Query results through Arrow (`storage.db.frame`) are the very frames DuckDB's `.df()` gives:
same columns, dtypes and values, NULLs included, whatever the types of the result."""

import duckdb
import pandas as pd
import pytest

from sanqu.storage.db import ARROW_TYPES, frame

# Each result: its types, with and without NULLs, all NULL, no rows; then types that take `.df()`.
RESULTS = {
    "text": "SELECT * FROM (VALUES ('甲'), ('乙'), (NULL)) t(a)",
    "text, no null": "SELECT * FROM (VALUES ('甲'), ('乙')) t(a)",
    "text, all null": "SELECT * FROM (VALUES (NULL::VARCHAR), (NULL)) t(a)",
    "integers": "SELECT 1::BIGINT a, 2::INTEGER b, 3::SMALLINT c, 4::TINYINT d UNION ALL SELECT 5, 6, 7, 8",
    "integers with null": (
        "SELECT 1::BIGINT a, 2::INTEGER b, 3::SMALLINT c, 4::TINYINT d UNION ALL SELECT NULL, NULL, NULL, NULL"
    ),
    "integers, all null": "SELECT NULL::BIGINT a, NULL::INTEGER b",
    "doubles": "SELECT * FROM (VALUES (1.5::DOUBLE, 2.5::FLOAT), (NULL, NULL), ('NaN'::DOUBLE, 0.1::FLOAT)) t(a, b)",
    "booleans": "SELECT * FROM (VALUES (true, false), (false, false)) t(a, b)",
    "booleans with null": "SELECT * FROM (VALUES (true, NULL::BOOLEAN), (NULL, NULL)) t(a, b)",
    "dates": "SELECT * FROM (VALUES (DATE '2026-03-31', TIMESTAMP '2026-03-31 08:30:00'), (NULL, NULL)) t(a, b)",
    "dates, no null": "SELECT DATE '1999-12-31' a, DATE '2026-11-26' b",
    "mixed": (
        "SELECT 'x' || i AS id, i::BIGINT AS n, i * 0.5 AS share, i % 2 = 0 AS even, "
        "CASE WHEN i % 3 = 0 THEN NULL ELSE i END::INTEGER AS some, DATE '2026-01-01' + i::INTEGER AS day "
        "FROM range(1000) t(i)"
    ),
    "no rows": "SELECT 'x' a, 1::BIGINT b, true c, DATE '2026-01-01' d WHERE false",
    "sum (HUGEINT)": "SELECT sum(i) AS s FROM range(10) t(i)",
    "sums with null": (
        "SELECT k, sum(i) AS s, sum(i) FILTER (i > 5 AND k = 'a') AS big, sum(i::INTEGER) AS n FROM range(10) t(i), "
        "(VALUES ('a'), ('b')) v(k) GROUP BY k ORDER BY k"
    ),
    "sum, all null": "SELECT sum(i) FILTER (i < 0) AS s FROM range(10) t(i)",
    "huge sums": (
        "SELECT (2::HUGEINT ** 62)::HUGEINT + 1 AS a, -(10::HUGEINT ** 30)::HUGEINT AS b, "
        "9007199254740993::HUGEINT AS c"
    ),
    "sums, no rows": "SELECT k, sum(i) AS s FROM range(10) t(i), (VALUES ('a')) v(k) WHERE false GROUP BY k",
    "decimal": "SELECT 1.25 AS d",
    "list": "SELECT [1, 2] AS l",
    "same name twice": "SELECT 1::BIGINT AS a, 'x' AS a",
}


@pytest.mark.parametrize("sql", RESULTS.values(), ids=RESULTS.keys())
def test_a_result_through_arrow_is_the_frame_duckdb_gives(sql):
    con = duckdb.connect()
    expected = con.execute(sql).df()
    got = frame(con.cursor(), sql, {})
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert [str(t) for t in got.dtypes] == [str(t) for t in expected.dtypes]


def test_parameters_reach_the_query():
    con = duckdb.connect()
    got = frame(con.cursor(), "SELECT unnest($codes) AS code, $n::BIGINT AS n", {"codes": ["360802", "360803"], "n": 7})
    assert got["code"].tolist() == ["360802", "360803"] and got["n"].tolist() == [7, 7]


def test_the_types_it_converts_are_the_ones_checked_here():
    """A type added to ARROW_TYPES must be added to RESULTS above (checked against `.df()`)."""
    con = duckdb.connect()
    seen = {str(t) for sql in RESULTS.values() for t in con.sql(sql).types}
    assert ARROW_TYPES <= seen


def test_an_empty_result_is_made_once_per_shape_and_given_as_a_copy():
    """No rows: the frame `.df()` gives, kept per names and types; a caller's change stays its own."""
    con = duckdb.connect()
    sql = "SELECT 'x' a, 1::BIGINT b, DATE '2026-01-01' d WHERE false"
    first = frame(con.cursor(), sql, {})
    first["a"] = first["a"].astype("string")
    first["added"] = []
    again = frame(con.cursor(), sql, {})
    pd.testing.assert_frame_equal(again, con.execute(sql).df(), check_exact=True)
    # the same names with other types are another shape
    other = "SELECT 1.5::DOUBLE a, 'y' b, DATE '2026-01-01' d WHERE false"
    got = frame(con.cursor(), other, {})
    assert (
        [str(t) for t in got.dtypes]
        == [str(t) for t in con.execute(other).df().dtypes]
        == [
            "float64",
            "object",
            "datetime64[us]",
        ]
    )
