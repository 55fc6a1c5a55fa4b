"""The demo generator: deterministic, calibrated to the report, real geography."""

import filecmp

import pytest

from sanqu.context import Context
from sanqu.ingest import demo
from sanqu.ingest.registers import REGISTERS
from sanqu.scope import Scope


def test_two_runs_give_identical_files(tmp_path):
    demo.write(tmp_path / "a")
    demo.write(tmp_path / "b")
    names = [r.file for r in REGISTERS]
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)
    assert (len(match), mismatch, errors) == (len(names), [], [])


@pytest.fixture(scope="module")
def q(demo_db):
    def run(sql, **params):
        return demo_db.query(sql, Scope.city(), **params)

    return run


def test_calibration_enterprises_and_employees(q):
    r = q(
        "SELECT count(*) n, sum(employees) e, count(DISTINCT park_id) p FROM enterprises"
        " WHERE list_contains($scope, district)"
    )
    assert r.n[0] >= 1670 and r.e[0] >= 242_000 and r.p[0] == 14


def test_every_above_scale_non_public_enterprise_is_covered(demo_db):
    from sanqu.metrics.coverage import coverage

    for period in demo_db.periods():
        df = coverage(demo_db, Context(Scope.city(), period), "park", by=("scale",)).set_index("scale")
        assert df.loc["规上", "covered"] == df.loc["规上", "denominator"] > 400
        assert df.loc["规下", "covered"] < df.loc["规下", "denominator"]


def test_below_scale_coverage_differs_between_districts_and_uses_all_joint_forms(demo_db):
    from sanqu.metrics.coverage import coverage, joint_by_form

    period = demo_db.periods()[-1]
    df = coverage(demo_db, Context(Scope.city(), period), "park", by=("district", "scale"))
    below = df[df.scale == "规下"]
    rates = below.covered / below.denominator
    assert rates.max() - rates.min() > 0.15
    forms = set(joint_by_form(demo_db, Context(Scope.city(), period), "park")["form"])
    assert forms == {"企企合建", "村企共建", "企会联建"}


def test_all_real_communities_urban_and_rural(q):
    r = q("SELECT kind, count(*) n FROM communities WHERE list_contains($scope, district) GROUP BY kind ORDER BY kind")
    assert dict(zip(r.kind, r.n)) == {"农村社区": 2521, "城市社区": 446}


def test_scenic_sites_modes_and_trades(q):
    forms = q("SELECT DISTINCT form FROM party_orgs WHERE zone = '旅游景区' AND list_contains($scope, district)")
    assert {"单独组建", "景企联建", "景居联建", "行业联建"} <= set(forms.form)
    trades = q("SELECT DISTINCT trade FROM party_orgs WHERE trade IS NOT NULL AND list_contains($scope, district)")
    assert set(trades.trade) == {"导游", "宾馆酒店", "商业休闲"}
    assert (
        q("SELECT count(*) n FROM scenic_sites WHERE name LIKE '井冈山%' AND list_contains($scope, district)").n[0] >= 4
    )


def test_at_least_eight_quarterly_snapshots_with_real_trend(demo_db):
    from sanqu.metrics.overview import trend

    periods = demo_db.periods()
    assert len(periods) >= 8
    t = trend(demo_db, Context(Scope.city(), "2026Q3"), "park_org")
    assert t.rate.iloc[-1] > t.rate.iloc[0]
    assert t.denominator.nunique() > 1


def test_people_appear_by_role_only(demo_dir):
    text = "".join(p.read_text(encoding="utf-8-sig") for p in (demo_dir / "registers").glob("*.csv"))
    for label in ("姓名", "身份证", "电话"):
        assert label not in text
    assert "演示数据" in (demo_dir / "registers/README.txt").read_text(encoding="utf-8")
