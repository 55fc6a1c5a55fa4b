"""A user's district scope: the set of district codes every query is limited to."""

from dataclasses import dataclass

from sanqu.geography import CITY_NAME, DISTRICTS, district_name


@dataclass(frozen=True)
class Scope:
    codes: tuple[str, ...]

    def __post_init__(self):
        unknown = [c for c in self.codes if c not in DISTRICTS]
        if unknown or not self.codes:
            raise ValueError(f"未知的区县代码: {', '.join(unknown) or '（空）'}")

    @classmethod
    def city(cls) -> "Scope":
        return cls(tuple(DISTRICTS))

    @classmethod
    def of(cls, *codes: str) -> "Scope":
        return cls(tuple(sorted(set(codes))))

    @classmethod
    def parse(cls, value: str | None) -> "Scope":
        """From a URL value: empty or 360800 = whole city, else comma-separated codes."""
        if not value or value == "360800":
            return cls.city()
        return cls.of(*[v.strip() for v in value.split(",") if v.strip()])

    @property
    def is_city(self) -> bool:
        return set(self.codes) == set(DISTRICTS)

    @property
    def key(self) -> str:
        """The URL / cache form: '360800' for the city, else the codes."""
        return "360800" if self.is_city else ",".join(self.codes)

    @property
    def label(self) -> str:
        if self.is_city:
            return CITY_NAME
        return "、".join(district_name(c) for c in self.codes)
