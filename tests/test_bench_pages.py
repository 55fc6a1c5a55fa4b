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


def test_arguments():
    assert bp._args([]) == ([], len(bp.SAMPLES), False)
    assert bp._args(["--pages", "parks,map", "--samples", "2", "--pin"]) == (["parks", "map"], 2, True)
    assert bp._args(["overview", "--samples=1"]) == (["overview"], 1, False)
    with pytest.raises(SystemExit):
        bp._args(["--samples", "x"])
    with pytest.raises(SystemExit):
        bp._args(["nowhere"])
