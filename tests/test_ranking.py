"""The ranking rule shared by the 红旗争创 and 督查考核评比 rankings (sanqu/ranking.py)."""

import pandas as pd

from sanqu.metrics import ranking


def test_score_and_rank_tie_breaks_and_missing_items():
    df = pd.DataFrame(
        {
            "district": ["360830", "360802", "360803", "360821", "360822"],
            "x": [0.5, 0.5, 0.5, 0.9, None],
            "y": [0.5, 0.5, 0.5, None, None],
            "p": [0.7, 0.7, 0.9, 0.0, 0.0],
            "late": [2, 1, 5, 0, 0],
        }
    )
    r = ranking.score_and_rank(df, {"x": 0.5, "y": 0.5}, [("p", False), ("late", True)])
    # 360821: y missing → x alone, 90.0; the three 50.0 rows: higher p first, then fewer late, then code
    assert r["district"].tolist() == ["360821", "360803", "360802", "360830", "360822"]
    assert r["score"].tolist()[:4] == [90.0, 50.0, 50.0, 50.0] and pd.isna(r["score"].iloc[4])
    assert r["rank"].tolist()[:4] == [1, 2, 3, 4] and pd.isna(r["rank"].iloc[4])
    z = ranking.score_and_rank(df, {"x": 0.5, "y": 0.5}, [], zero_if_missing=("y",)).set_index("district")
    assert z.loc["360821", "score"] == 45.0  # y counted as 0
    e = ranking.score_and_rank(df, {"x": 0.5, "y": 0.5}, [], eligible=df["district"] != "360821")
    assert e["district"].iloc[-2:].tolist() == ["360821", "360822"] and e["rank"].isna().sum() == 2


def test_round_half_up():
    assert ranking.round_half_up(53.25) == 53.3 and ranking.round_half_up(53.24) == 53.2
    assert ranking.round_half_up(100 * (0.4 * 0.5 + 0.3 / 3 + 0.2 * 0.8375 + 0.1 * 0.625)) == 53.0
    assert ranking.round_half_up(2.675, 2) == 2.68  # 2.675 is 2.67499… as a float
    assert ranking.round_half_up(None) is None


def test_notes_join_the_texts_whose_condition_holds():
    a = pd.Series([True, False, True])
    b = pd.Series([True, False, False])
    assert ranking.notes([(a, "甲"), (b, "乙")]) == ["甲；乙", "", "甲"]
    assert ranking.notes([]) == []
