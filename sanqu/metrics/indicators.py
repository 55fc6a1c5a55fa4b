"""The indicator catalogue: each indicator defined once, with its Chinese name and formula."""

from dataclasses import dataclass

from sanqu.ingest.registers import ZONES


@dataclass(frozen=True)
class Indicator:
    key: str
    zone: str  # park | community | scenic | sites
    name: str
    numerator: str  # a count column of coverage()
    denominator: str
    formula: str
    unit: str = "%"

    @property
    def title(self) -> str:
        return f"{ZONES.get(self.zone, '示范点')} · {self.name}"


_UNITS = {
    "park": "园区内正常经营的非公有制企业",
    "scenic": "景区和景点",
    "community": "小区（村落）和两新组织",
}


def _zone_indicators(zone: str) -> list[Indicator]:
    base = _UNITS[zone]
    return [
        Indicator(
            f"{zone}_org",
            zone,
            "组织覆盖率",
            "covered",
            "denominator",
            f"（单独建立党组织的 + 纳入联合党组织的）÷ {base}",
        ),
        Indicator(f"{zone}_own", zone, "单独组建率", "own", "denominator", f"单独建立党组织的 ÷ {base}"),
        Indicator(f"{zone}_joint", zone, "联合组建覆盖率", "joint", "denominator", f"仅由联合党组织覆盖的 ÷ {base}"),
        Indicator(
            f"{zone}_work",
            zone,
            "工作覆盖率",
            "work",
            "denominator",
            f"（组织覆盖的 + 未建组织但已派党建指导员/联络员的）÷ {base}",
        ),
    ]


SITES_PROGRESS = Indicator(
    "sites_progress", "sites", "节点完成率", "numerator", "denominator", "已完成的示范点节点 ÷ 示范点全部节点"
)
CATALOGUE: tuple[Indicator, ...] = (*(i for z in ZONES for i in _zone_indicators(z)), SITES_PROGRESS)
BY_KEY = {i.key: i for i in CATALOGUE}


def indicator(key: str) -> Indicator:
    return BY_KEY[key]
