"""A user's scope at any level of the region pack: the region, a city (province packs), a set
of counties, or one township. Every query is limited to its county codes (`$scope`); a township
scope also carries `$township`, which a query must declare it handles (storage/db.py), and
`codes` refuses a township scope so that code written for counties cannot silently widen it."""

from dataclasses import dataclass

from sanqu import geography


class TownshipScope(ValueError):
    """Code that only knows counties was handed a township scope."""


@dataclass(frozen=True)
class Scope:
    counties: tuple[str, ...]
    township: str = ""  # a township scope: its 9-digit code; `counties` is then its one county

    def __post_init__(self):
        known = geography.counties()
        unknown = [c for c in self.counties if c not in known]
        if unknown or not self.counties:
            raise ValueError(f"未知的区县代码: {', '.join(unknown) or '（空）'}")
        if self.township:
            unit = geography.pack().by_code.get(self.township)
            if unit is None or unit.level != "township" or self.counties != (unit.parent,):
                raise ValueError(f"未知的乡镇代码: {self.township}")

    @property
    def codes(self) -> tuple[str, ...]:
        """The county codes; a township scope raises (use `counties` where the township is handled)."""
        if self.township:
            raise TownshipScope(f"{self.township} 是乡镇范围：此处只能按区县筛选")
        return self.counties

    @classmethod
    def city(cls) -> "Scope":
        """The whole region (named for the Ji'an-only days: the region is the city there)."""
        return cls(tuple(geography.counties()))

    region = city

    @classmethod
    def of(cls, *codes: str) -> "Scope":
        return cls(tuple(sorted(set(codes))))

    @classmethod
    def unit(cls, code: str) -> "Scope":
        """The scope of one unit of the pack: region, city or county = its counties; a township itself."""
        pack = geography.pack()
        unit = pack.by_code.get(code)
        if unit is None:
            raise ValueError(f"未知的区划代码: {code}")
        if unit.level == "township":
            return cls((unit.parent,), unit.code)
        return cls.of(*pack.counties(code))

    @classmethod
    def parse(cls, value: str | None) -> "Scope":
        """From a URL value: empty = the whole region; one unit code of the pack (region, city,
        county, township); or comma-separated county codes."""
        parts = [v.strip() for v in (value or "").split(",") if v.strip()]
        if not parts:
            return cls.city()
        if len(parts) == 1:
            return cls.unit(parts[0])
        return cls.of(*parts)

    @property
    def is_city(self) -> bool:
        """The whole region."""
        return not self.township and set(self.counties) == set(geography.counties())

    @property
    def level(self) -> str:
        """region, city, county (one or several) or township."""
        if self.township:
            return "township"
        if self.is_city:
            return "region"
        return "city" if self._city() else "county"

    def _city(self) -> str | None:
        """The city whose counties are exactly this scope's (province packs), else None."""
        if len(self.counties) < 2:
            return None
        pack = geography.pack()
        parents = {pack.unit(c).parent for c in self.counties}
        if len(parents) != 1:
            return None
        (parent,) = parents
        unit = pack.unit(parent)
        if unit.level != "city" or unit.code == pack.region.code:
            return None
        return parent if set(pack.counties(parent)) == set(self.counties) else None

    @property
    def key(self) -> str:
        """The URL / cache form: the unit's code (region, city, township), else the county codes."""
        if self.township:
            return self.township
        if self.is_city:
            return geography.region_code()
        return self._city() or ",".join(self.counties)

    @property
    def label(self) -> str:
        if self.township:
            return geography.district_name(self.counties[0]) + geography.unit_name(self.township)
        if self.is_city:
            return geography.region_name()
        city = self._city()
        if city:
            return geography.unit_name(city)
        return "、".join(geography.district_name(c) for c in self.counties)
