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
        return bp.Action(ms=ms, runs=1, settle=settle, ws=ws, http=100)

    passes = [
        [{"page": "parks", "first": act(478, 1.6, 10), "district": act(294, 0.9, 5), "back": act(40, 0.5, 5)}],
        [{"page": "parks", "first": act(326, 1.9, 30), "district": act(120, 0.7, 5), "back": act(90, 0.4, 5)}],
        [{"page": "parks", "first": act(485, 1.5, 20), "district": act(300, 1.0, 5), "back": act(60, 0.6, 5)}],
    ]
    (row,) = bp.median_rows(passes)
    assert row["page"] == "parks"
    assert (row["first"].ms, row["first"].settle, row["first"].ws) == (478, 1.6, 20)
    assert row["district"].ms == 294
    w = bp.worst([row])
    assert (w["click"], w["repeat"], w["settle"], w["ws"]) == (478, 60, 1.6, 20 / 1024)


def test_arguments():
    assert bp._args([]) == ([], len(bp.SAMPLES), False)
    assert bp._args(["--pages", "parks,map", "--samples", "2", "--pin"]) == (["parks", "map"], 2, True)
    assert bp._args(["overview", "--samples=1"]) == (["overview"], 1, False)
    with pytest.raises(SystemExit):
        bp._args(["--samples", "x"])
    with pytest.raises(SystemExit):
        bp._args(["nowhere"])
