"""The national bench at a fiftieth of the country: the synthetic store has the rows it should,
the real query layer reads it, and the script ends with its one-line summary (no speed asserted)."""

import re

from scripts import bench_national


def test_bench_national_small_scale(capsys):
    assert bench_national.main(["--scale", "0.02", "--repeat", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = next(line for line in out if line.startswith("rows "))
    # 90 counties (a fiftieth of 2,790, at least one province), 540 enterprises and 215
    # communities each, 8 quarters of statistics, 2 % of 5.2 million organisations
    for expected in ("districts=90,", "enterprises=48,600,", "community_stats=154,800,", "party_orgs=104,000,"):
        assert expected in rows
    assert re.fullmatch(
        r"orgs=104000 build_s=[0-9.]+ peak_rss_mb=[0-9]+ nation_ms=[0-9]+ province_ms=[0-9]+ county_ms=[0-9]+", out[-1]
    )
    nation = next(line for line in out if line.startswith("  全国: "))
    county = next(line for line in out if line.startswith("  110101: "))
    assert re.search(r"park [0-9,]+/[0-9,]+", nation) and "community" in county
    # one county of 90 has fewer enterprises to cover than the nation (the scope narrows the rows)
    to_cover = lambda line: int(re.search(r"park [0-9,]+/([0-9,]+)", line).group(1).replace(",", ""))  # noqa: E731
    assert 0 < to_cover(county) <= 540 < to_cover(nation) <= 48_600
