"""What the demo generator takes from the deployed region beyond its units: Ji'an's figures as
calibrated to its report, or, for any other pack, figures drawn from a seed of the region's code
(演示数据: every one of them invented, none presented as a real statistic)."""

import math
import random
from collections.abc import Collection
from dataclasses import dataclass

from sanqu import geography

JIAN = "360800"
JIAN_COVER = (0.84, 0.62, 0.78, 0.66, 0.55, 0.71, 0.60, 0.74, 0.52, 0.58, 0.69, 0.57, 0.88)
JIAN_ENTERPRISES, JIAN_PARKS = 1712, 14
NATIONAL_WORDS = ("经济技术开发区", "高新技术产业开发区", "高新技术产业园区")
GENERATED = "（演示）"  # suffix of every scenic area name the demo invents outside Ji'an


@dataclass(frozen=True)
class Calibration:
    """The region's figures for the generator."""

    region: str
    counties: tuple[str, ...]  # the counties the demo covers (all of the region's, or a subset)
    cover: dict[str, float]  # county -> share of below-scale enterprises covered
    national: frozenset[str]  # parks of national level
    park_weight: dict[str, float]  # park -> relative number of enterprises (default 1)
    enterprises: int
    association_district: str  # where the region-wide industry associations are registered
    region_name: str
    power_company: str
    tourism_counties: tuple[str, ...]  # counties with the 一弘扬三创优 carrier
    tourism_lead: str  # the county where that carrier is three times as busy
    scale: float  # counties / 13: the mechanisms' sample sizes scale with it (Ji'an: 1)

    @property
    def is_jian(self) -> bool:
        return self.region == JIAN

    def sample_size(self, base: int, population: int) -> int:
        """Ji'an's sample size as calibrated; elsewhere scaled to the region, at most the population."""
        if self.is_jian:
            return base
        return min(population, max(1, round(base * self.scale)))


def _power_company(unit) -> str:
    stem = unit.name.removesuffix("市").removesuffix("省")
    return f"国网{stem}供电公司党委" if unit.level == "city" else f"国网{stem}省电力有限公司党委"


def jian() -> Calibration:
    """Ji'an exactly as the report-calibrated demo has always been."""
    counties = tuple(geography.counties())
    return Calibration(
        region=JIAN,
        counties=counties,
        cover=dict(zip(counties, JIAN_COVER, strict=True)),
        national=frozenset({"360821400", "360821401"}),
        park_weight={"360821400": 3.0, "360821401": 3.2, "360802400": 1.2},
        enterprises=JIAN_ENTERPRISES,
        association_district="360802",
        region_name="吉安市",
        power_company="国网吉安供电公司党委",
        tourism_counties=("360881", "360829", "360803", "360802"),
        tourism_lead="360881",
        scale=1.0,
    )


def drawn(seed: int, only: Collection[str] | None = None) -> Calibration:
    """Any other region: its figures from a draw seeded by the seed and the region's code."""
    region = geography.region_unit()
    counties = tuple(c for c in geography.counties() if only is None or c in only)
    rng = random.Random(f"{seed}:{region.code}")
    parks = geography.places().query("kind == 'park'")
    parks = parks[parks.district_adcode.isin(counties)]
    national = frozenset(c for c, n in zip(parks.code, parks.name) if any(w in n for w in NATIONAL_WORDS))
    weights = {c: round(rng.uniform(2.5, 3.5) if c in national else rng.uniform(0.7, 1.3), 2) for c in parks.code}
    tourism = tuple(sorted(rng.sample(counties, max(1, math.ceil(len(counties) * 0.3)))))
    return Calibration(
        region=region.code,
        counties=counties,
        cover={c: round(rng.uniform(0.5, 0.9), 2) for c in counties},
        national=national,
        park_weight=weights,
        enterprises=round(JIAN_ENTERPRISES / JIAN_PARKS * len(parks)),
        association_district=counties[0],
        region_name=region.name,
        power_company=_power_company(region),
        tourism_counties=tourism,
        tourism_lead=rng.choice(tourism),
        scale=len(counties) / len(JIAN_COVER),
    )


def calibration(seed: int, only: Collection[str] | None = None) -> Calibration:
    """Ji'an's calibration for the whole of Ji'an; a drawn one for any other region or a subset."""
    if geography.region_code() == JIAN and only is None:
        return jian()
    return drawn(seed, only)
