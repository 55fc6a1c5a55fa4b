"""The places a scope's figures are compared by (its children, a bar each): the cities of a
province's pack at its region level; the counties of a city, of a city's pack or of several
counties; the townships of one county; a township scope, the township itself."""

from sanqu import geography

WORDS = {"city": "设区市", "district": "区县", "township": "乡镇（街道）"}


def level(scope) -> str:
    """city, district or township: the level of the places of `scope`."""
    if scope.township or len(scope.counties) == 1:
        return "township"
    if scope.is_city and geography.region_unit().level == "province":
        return "city"
    return "district"


def word(scope) -> str:
    """设区市, 区县 or 乡镇（街道）."""
    return WORDS[level(scope)]


def cities(counties: tuple[str, ...]) -> dict[str, list[str]]:
    """The query parameters of the county → city grouping (`coverage.coverage(by=("city",))`):
    the counties and, at the same positions, their cities' codes, from the region's pack."""
    return {"counties": list(counties), "cities": [city_of(c) for c in counties]}


def city_of(county: str) -> str:
    """The city of a county of the region's pack."""
    return geography.pack().unit(county).parent


def name(code: str) -> str:
    """A place's name: a county's as everywhere, any other unit of the pack's; else its code."""
    return geography.district_name(code) if code in geography.counties() else geography.unit_name(code)


def area_name(code: str, scope) -> str:
    """The name of a county row of a per-district table: at a township scope the rows count the
    township's units only, so they bear its name, never the county's alone."""
    return scope.label if scope.township else geography.district_name(code)


def every(scope) -> list[str]:
    """The places of the scope that have a bar even with nothing to count (a city or county with
    nothing to cover is shown as such); for townships, none (only those in the registers)."""
    at = level(scope)
    if at == "city":
        return [u.code for u in geography.pack().at_level("city")]
    return list(scope.counties) if at == "district" else []
