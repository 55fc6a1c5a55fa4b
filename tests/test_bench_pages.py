"""make bench-pages' own arithmetic: its measured passes choose only what no pass chose before
(every first visit and first click uncached), and a cell is the median of the passes."""

import pytest

from scripts import bench_pages as bp


def test_every_measured_choice_is_new():
    warm_districts, warm_quarters = {1, 2}, {-3, -4}
    districts = [d for d, _, _ in bp.SAMPLES]
    quarters = [q for _, opened, chosen in bp.SAMPLES for q in (opened, chosen)]
    assert len(set(districts)) == len(districts) and not set(districts) & warm_districts
    assert len(set(quarters)) == len(quarters) and not set(quarters) & warm_quarters
    assert bp.SAMPLES[0][1] == -1  # the first pass opens the link as shared: the newest quarter


def test_a_cell_is_the_median_of_the_passes_field_by_field():
    def act(ms, settle, ws):
        return bp.Action(ms=ms, runs=1, settle=settle, ws=ws, http=100, cpu=ms / 2)

    def row(first, district, back, warm):
        return [{"page": "parks", "first": first, "district": district, "back": back, "warm": warm}]

    passes = [
        row(act(478, 1.6, 10), act(294, 0.9, 5), act(40, 0.5, 5), act(60, 1.2, 9)),
        row(act(326, 1.9, 30), act(120, 0.7, 5), act(90, 0.4, 5), act(70, 1.0, 9)),
        row(act(485, 1.5, 20), act(300, 1.0, 5), act(60, 0.6, 5), act(50, 1.4, 9)),
    ]
    (median,) = bp.median_rows(passes)
    assert median["page"] == "parks"
    assert (median["first"].ms, median["first"].settle, median["first"].ws) == (478, 1.6, 20)
    assert median["district"].ms == 294
    w = bp.worst([median])
    assert (w["click"], w["repeat"], w["settle"], w["ws"]) == (478, 60, 1.6, 20 / 1024)
    assert w["warm"] == 1.2  # the warm load's settle, a figure of its own (not in click or settle)
    # the server's CPU of the costliest click (the first visit, 478 ms): the median of 239, 163 and 242.5
    assert w["cpu"] == 239


def test_the_log_gives_each_runs_server_and_cpu_time(tmp_path):
    path = tmp_path / "server.log"
    path.write_text(
        "2026-12-05 11:38:36,114 INFO sanqu script run page=overview ms=90.5 cpu_ms=80.0\n"
        "2026-12-05 11:38:37,114 INFO sanqu query 3.1 ms: SELECT 1\n"
        "2026-12-05 11:38:38,705 INFO sanqu script run page=screen fragment=carousel ms=30.0 cpu_ms=12.5\n"
        "2026-12-05 11:38:39,705 INFO sanqu script run page=parks ms=163.0\n",  # an app before cpu_ms
        encoding="utf-8",
    )
    log = bp.Log(path)
    runs = log.runs()
    assert runs[:2] == [("overview", None, 90.5, 80.0), ("screen", "carousel", 30.0, 12.5)]
    assert runs[2][:3] == ("parks", None, 163.0) and runs[2][3] != runs[2][3]  # NaN: not logged
    log.mark()
    assert log.runs() == []


def test_arguments():
    assert bp._args([]) == ([], len(bp.SAMPLES), False)
    assert bp._args(["--pages", "parks,map", "--samples", "2", "--pin"]) == (["parks", "map"], 2, True)
    assert bp._args(["overview", "--samples=1"]) == (["overview"], 1, False)
    with pytest.raises(SystemExit):
        bp._args(["--samples", "x"])
    with pytest.raises(SystemExit):
        bp._args(["nowhere"])
