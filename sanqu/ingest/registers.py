"""The registers (台账): one schema per register, field by field.

This module is the single place where a register's columns are defined. The demo
generator writes these Chinese headers, the loader validates files against them, the
store creates its tables from them and `docs/REGISTERS.md` is generated from them.
"""

import numbers
from dataclasses import dataclass, field

from sanqu.geography import DISTRICTS, region_box

# Field types: code (text of digits / letters, never a number), text, int, float,
# date (YYYY-MM-DD), period (YYYYQn), enum (one of `allowed`).
SQL_TYPES = {
    "code": "VARCHAR",
    "text": "VARCHAR",
    "enum": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "date": "DATE",
    "period": "VARCHAR",
}

ZONES = {"park": "工业园区", "community": "城乡社区", "scenic": "旅游景区"}
ORG_LEVELS = ("党工委", "党委", "党总支", "党支部", "党小组")
JOINT_FORMS_PARK = ("企企合建", "村企共建", "企会联建")
JOINT_FORMS_SCENIC = ("景区联建", "景企联建", "景居联建")
TRADES = ("导游", "宾馆酒店", "商业休闲")
ORG_FORMS = ("单独组建", *JOINT_FORMS_PARK, *JOINT_FORMS_SCENIC, "行业联建", "区域统筹")
ENTITY_TYPES = ("enterprise", "scenic", "community")
PERSONAL_LABELS = ("姓名", "身份证号", "身份证号码", "联系电话", "手机", "手机号码", "住址")


@dataclass(frozen=True)
class Field:
    name: str  # column name in the store
    label: str  # Chinese header in the register file
    type: str
    meaning: str
    allowed: tuple = ()
    required: bool = True
    pattern: str | None = None  # regular expression a code must match
    ref: str | None = None  # "register.field" the value must exist in
    min: float | None = None  # smallest value allowed (int and float fields)
    max: float | None = None  # largest value allowed


# Bounds of numeric fields: counts are never negative; the maxima only catch absurd values.
WEST, SOUTH, EAST, NORTH = region_box()
PEOPLE = 1_000_000  # people in one unit (employees, staff)
MEMBERS = 100_000  # Party members in one unit
FUNDS = 100_000  # 万元 (one billion yuan) from one source for one venue


@dataclass(frozen=True)
class Register:
    name: str
    label: str
    file: str
    meaning: str
    fields: tuple[Field, ...]
    key: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    def by_label(self) -> dict[str, Field]:
        return {f.label: f for f in self.fields}

    def by_name(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _district(required: bool = True) -> Field:
    return Field(
        "district",
        "区县代码",
        "code",
        "county-level division code (6 digits, NBS)",
        allowed=tuple(DISTRICTS),
        pattern=r"^[0-9]{6}$",
        required=required,
    )


def _township() -> Field:
    return Field(
        "township",
        "乡镇街道代码",
        "code",
        "township/street code (9 digits, NBS)",
        pattern=r"^[0-9]{9}$",
        ref="townships.code",
    )


def _lonlat(required: bool = False) -> tuple[Field, Field]:
    return (
        Field("lon", "经度", "float", "longitude, WGS-84; empty = not surveyed", required=required, min=WEST, max=EAST),
        Field(
            "lat", "纬度", "float", "latitude, WGS-84; empty = not surveyed", required=required, min=SOUTH, max=NORTH
        ),
    )


REGISTERS: tuple[Register, ...] = (
    Register(
        "districts",
        "区县",
        "districts.csv",
        "The 13 county-level districts of Ji'an.",
        (
            _district(),
            Field("name", "区县名称", "text", "official name"),
        ),
        key=("district",),
    ),
    Register(
        "townships",
        "乡镇街道",
        "townships.csv",
        "Township-level units (乡镇/街道/开发区) with a point for the map.",
        (
            Field("code", "乡镇街道代码", "code", "9-digit NBS code", pattern=r"^[0-9]{9}$"),
            Field("name", "乡镇街道名称", "text", "official name"),
            _district(),
            *_lonlat(required=True),
            Field(
                "coord_method",
                "坐标来源",
                "enum",
                "where the point comes from: GeoNames match, or placed near the district's centre",
                allowed=("geonames", "district_centre"),
            ),
        ),
        key=("code",),
    ),
    Register(
        "parks",
        "工业园区",
        "parks.csv",
        "Development zones (工业园区/开发区), one row per zone.",
        (
            Field("park_id", "园区代码", "code", "NBS code of the zone unit", pattern=r"^[0-9]{9}$"),
            Field("name", "园区名称", "text", "official name"),
            _district(),
            Field("level", "园区级别", "enum", "national or provincial", allowed=("国家级", "省级")),
            *_lonlat(),
        ),
        key=("park_id",),
    ),
    Register(
        "enterprises",
        "园区企业",
        "enterprises.csv",
        "Enterprises settled in the parks (入园企业台账).",
        (
            Field("enterprise_id", "企业编号", "code", "register number", pattern=r"^QY[0-9]{6}-[0-9]{4}$"),
            Field("name", "企业名称", "text", "registered name"),
            Field("park_id", "所属园区代码", "code", "park", pattern=r"^[0-9]{9}$", ref="parks.park_id"),
            _district(),
            _township(),
            Field("industry", "所属产业", "text", "industry chain (产业) used for 产业党总支"),
            Field(
                "ownership",
                "经济类型",
                "enum",
                "ownership; all but 国有/集体 count as non-public (非公有制)",
                allowed=("私营", "外商投资", "港澳台投资", "股份制", "国有", "集体"),
            ),
            Field("scale", "企业规模", "enum", "above or below designated size", allowed=("规上", "规下")),
            Field("employees", "从业人数", "int", "employees at the last count", min=0, max=PEOPLE),
            Field("members", "正式党员数", "int", "full Party members working there", min=0, max=MEMBERS),
            Field("entered", "入园日期", "date", "date the enterprise settled in the park"),
            Field("closed", "停业注销日期", "date", "date it stopped operating; empty = operating", required=False),
            *_lonlat(),
        ),
        key=("enterprise_id",),
    ),
    Register(
        "communities",
        "城乡社区",
        "communities.csv",
        "All villages and communities (村/社区) with their real 12-digit codes.",
        (
            Field("community_id", "村社区代码", "code", "12-digit NBS code", pattern=r"^[0-9]{12}$"),
            Field("name", "村社区名称", "text", "official name"),
            _township(),
            _district(),
            Field("kind", "城乡类型", "enum", "urban community or rural village", allowed=("城市社区", "农村社区")),
            Field(
                "area_km2",
                "辖区面积",
                "float",
                "area in km² (the largest district is about 3,100 km²)",
                min=0,
                max=5_000,
            ),
        ),
        key=("community_id",),
    ),
    Register(
        "community_stats",
        "社区党建季度统计",
        "community_stats.csv",
        "Quarterly figures per community: size, grid organisations, star rating.",
        (
            Field(
                "community_id",
                "村社区代码",
                "code",
                "community",
                pattern=r"^[0-9]{12}$",
                ref="communities.community_id",
            ),
            _district(),
            Field("period", "统计季度", "period", "quarter, e.g. 2026Q3", pattern=r"^[0-9]{4}Q[1-4]$"),
            Field("households", "户数", "int", "households", min=0, max=PEOPLE),
            Field("members", "党员数", "int", "Party members registered in the community", min=0, max=MEMBERS),
            Field("quarters", "小区数", "int", "residential quarters (urban) or 村落 (rural)", min=0, max=10_000),
            Field("quarters_own", "小区单独建支部数", "int", "quarters with their own branch", min=0, max=10_000),
            Field("quarters_joint", "小区联合建支部数", "int", "quarters covered by a joint branch", min=0, max=10_000),
            Field(
                "quarters_liaison", "小区仅派联络员数", "int", "quarters with only a Party liaison", min=0, max=10_000
            ),
            Field("buildings", "楼栋数", "int", "buildings (urban) / 村民小组 (rural)", min=0, max=100_000),
            Field("buildings_group", "楼栋建党小组数", "int", "buildings with a Party group", min=0, max=100_000),
            Field(
                "two_new", "两新组织数", "int", "new economic and social organisations in the area", min=0, max=100_000
            ),
            Field(
                "two_new_own",
                "两新单独组建数",
                "int",
                "two-new organisations with their own organisation",
                min=0,
                max=100_000,
            ),
            Field(
                "two_new_joint",
                "两新联合组建数",
                "int",
                "two-new organisations in a joint organisation",
                min=0,
                max=100_000,
            ),
            Field(
                "two_new_liaison",
                "两新仅派指导员数",
                "int",
                "two-new organisations with only an instructor",
                min=0,
                max=100_000,
            ),
            Field("stars", "星级", "int", "star rating 0-5 (星级社区 assessment; 0 = not rated)", min=0, max=5),
        ),
        key=("community_id", "period"),
    ),
    Register(
        "scenic_sites",
        "旅游景区景点",
        "scenic_sites.csv",
        "Scenic areas (景区) and the spots (景点) inside them.",
        (
            Field("scenic_id", "景区编号", "code", "register number", pattern=r"^JQ[0-9]{6}-[0-9]{3}$"),
            Field("name", "景区景点名称", "text", "name"),
            Field("kind", "类别", "enum", "area or spot", allowed=("景区", "景点")),
            Field(
                "parent_id",
                "所属景区编号",
                "code",
                "area a spot belongs to",
                required=False,
                pattern=r"^JQ[0-9]{6}-[0-9]{3}$",
            ),
            _district(),
            _township(),
            Field("a_level", "A级", "enum", "national A-level rating", allowed=("5A", "4A", "3A", "2A", "未评级")),
            Field("staff", "从业人数", "int", "people working there", min=0, max=PEOPLE),
            Field("members", "正式党员数", "int", "full Party members working there", min=0, max=MEMBERS),
            Field("opened", "开放日期", "date", "date it opened or was registered"),
            *_lonlat(),
        ),
        key=("scenic_id",),
    ),
    Register(
        "party_orgs",
        "党组织",
        "party_orgs.csv",
        "Party organisations as a tree (上级党组织), with level and form.",
        (
            Field("org_id", "党组织编号", "code", "register number", pattern=r"^DZ[0-9]{6}-[0-9]{5}$"),
            Field("name", "党组织名称", "text", "name"),
            Field("level", "组织层级", "enum", "level in the Party", allowed=ORG_LEVELS),
            Field(
                "parent_id",
                "上级党组织编号",
                "code",
                "parent; empty = reports to the county",
                required=False,
                pattern=r"^DZ[0-9]{6}-[0-9]{5}$",
            ),
            Field("zone", "所属领域", "enum", "zone", allowed=tuple(ZONES.values()) + ("机关", "乡镇")),
            _district(),
            Field("form", "组建方式", "enum", "own (单独组建) or a joint form", allowed=ORG_FORMS),
            Field("trade", "行业类别", "enum", "for trade organisations", allowed=TRADES, required=False),
            Field("members", "党员数", "int", "full members", min=0, max=MEMBERS),
            Field("founded", "成立日期", "date", "date established"),
            Field("dissolved", "撤销日期", "date", "date dissolved; empty = active", required=False),
        ),
        key=("org_id",),
    ),
    Register(
        "org_coverage",
        "党组织覆盖单位",
        "org_coverage.csv",
        "Which entities each organisation covers (a joint one covers several).",
        (
            Field(
                "org_id",
                "党组织编号",
                "code",
                "organisation",
                pattern=r"^DZ[0-9]{6}-[0-9]{5}$",
                ref="party_orgs.org_id",
            ),
            Field("entity_type", "单位类型", "enum", "kind of entity", allowed=ENTITY_TYPES),
            Field("entity_id", "单位编号", "code", "enterprise, scenic or community id", pattern=r"^[A-Z0-9-]+$"),
            Field("since", "纳入日期", "date", "date the entity came under this organisation"),
        ),
        key=("org_id", "entity_type", "entity_id"),
    ),
    Register(
        "instructors",
        "党建指导员派驻",
        "instructors.csv",
        "Party-building instructors sent to entities (by role, no names).",
        (
            Field("assignment_id", "派驻编号", "code", "register number", pattern=r"^ZDY[0-9]{6}-[0-9]{4}$"),
            Field("entity_type", "单位类型", "enum", "kind of entity", allowed=ENTITY_TYPES),
            Field("entity_id", "单位编号", "code", "entity", pattern=r"^[A-Z0-9-]+$"),
            _district(),
            Field(
                "source",
                "派出单位类别",
                "enum",
                "where the instructor comes from",
                allowed=("机关干部", "园区党工委", "退休干部", "乡镇干部"),
            ),
            Field("start", "派驻日期", "date", "start"),
            Field("end", "结束日期", "date", "end; empty = still assigned", required=False),
        ),
        key=("assignment_id",),
    ),
    Register(
        "demo_sites",
        "示范点",
        "demo_sites.csv",
        "Demonstration sites (示范点): 培植典型, 典型引路.",
        (
            Field("site_id", "示范点编号", "code", "register number", pattern=r"^SF[0-9]{6}-[0-9]{3}$"),
            Field("name", "示范点名称", "text", "name"),
            Field("zone", "所属领域", "enum", "zone", allowed=tuple(ZONES.values())),
            _district(),
            Field("entity_type", "单位类型", "enum", "host entity kind", allowed=ENTITY_TYPES),
            Field("entity_id", "依托单位编号", "code", "host entity", pattern=r"^[A-Z0-9-]+$"),
            Field("leader_role", "联系领导职务", "text", "leader who contacts the site, by role"),
            Field("stage", "当前阶段", "enum", "stage as recorded", allowed=("培育", "建设", "验收", "命名")),
            Field("started", "确定日期", "date", "date the site was chosen"),
        ),
        key=("site_id",),
    ),
    Register(
        "milestones",
        "示范点节点",
        "milestones.csv",
        "Milestones of each demonstration site with due and done dates.",
        (
            Field("site_id", "示范点编号", "code", "site", pattern=r"^SF[0-9]{6}-[0-9]{3}$", ref="demo_sites.site_id"),
            Field("seq", "序号", "int", "order", min=1, max=1_000),
            Field("title", "节点内容", "text", "what must be done"),
            Field("stage", "所属阶段", "enum", "stage it completes", allowed=("培育", "建设", "验收", "命名")),
            Field("due", "计划完成日期", "date", "due date"),
            Field("done", "实际完成日期", "date", "done date; empty = open", required=False),
        ),
        key=("site_id", "seq"),
    ),
    Register(
        "inspections",
        "督查考核记录",
        "inspections.csv",
        "Inspection visits to demonstration sites, with scores and what was checked.",
        (
            Field("inspection_id", "督查编号", "code", "register number", pattern=r"^DC[0-9]{6}-[0-9]{4}$"),
            Field("site_id", "示范点编号", "code", "site", pattern=r"^SF[0-9]{6}-[0-9]{3}$", ref="demo_sites.site_id"),
            _district(),
            Field("date", "督查日期", "date", "date of the visit"),
            Field("inspector_role", "督查人职务", "text", "by role"),
            Field("score", "评分", "float", "score out of 100", min=0, max=100),
            Field("evidence", "检查内容", "text", "evidence items checked, separated by ；"),
        ),
        key=("inspection_id",),
    ),
    Register(
        "contact_points",
        "领导工作联系点",
        "contact_points.csv",
        "Leaders' contact points (工作联系点), leaders by role.",
        (
            Field("point_id", "联系点编号", "code", "register number", pattern=r"^LXD[0-9]{6}-[0-9]{3}$"),
            Field("leader_role", "联系领导职务", "text", "leader, by role"),
            _district(),
            Field("entity_type", "单位类型", "enum", "kind of entity", allowed=ENTITY_TYPES),
            Field("entity_id", "联系单位编号", "code", "entity", pattern=r"^[A-Z0-9-]+$"),
            Field("since", "建立日期", "date", "since"),
        ),
        key=("point_id",),
    ),
    Register(
        "visits",
        "联系点走访记录",
        "visits.csv",
        "Leaders' visits to their contact points.",
        (
            Field("visit_id", "走访编号", "code", "register number", pattern=r"^ZF[0-9]{6}-[0-9]{4}$"),
            Field(
                "point_id",
                "联系点编号",
                "code",
                "point",
                pattern=r"^LXD[0-9]{6}-[0-9]{3}$",
                ref="contact_points.point_id",
            ),
            _district(),
            Field("date", "走访日期", "date", "date"),
            Field("kind", "走访类型", "enum", "purpose", allowed=("调研", "督查", "指导")),
        ),
        key=("visit_id",),
    ),
    Register(
        "pairings",
        "结对互助",
        "pairings.csv",
        "Pairings of organ or rural organisations with three-zone organisations.",
        (
            Field("pairing_id", "结对编号", "code", "register number", pattern=r"^JD[0-9]{6}-[0-9]{3}$"),
            Field("helper", "帮扶方党组织", "text", "organ or rural organisation (name of the unit)"),
            Field("helper_kind", "帮扶方类别", "enum", "kind", allowed=("机关党组织", "农村党组织", "国企党组织")),
            Field(
                "org_id",
                "受援党组织编号",
                "code",
                "three-zone organisation",
                pattern=r"^DZ[0-9]{6}-[0-9]{5}$",
                ref="party_orgs.org_id",
            ),
            _district(),
            Field(
                "form",
                "结对形式",
                "enum",
                "one of the five forms",
                allowed=("组织共建", "党员共管", "经验共鉴", "资源共享", "事业共创"),
            ),
            Field("since", "结对日期", "date", "since"),
            Field("activities", "开展活动次数", "int", "joint activities so far", min=0, max=100_000),
        ),
        key=("pairing_id",),
    ),
    Register(
        "venues",
        "活动阵地",
        "venues.csv",
        "Party activity venues with area and funding over five sources (万元).",
        (
            Field("venue_id", "阵地编号", "code", "register number", pattern=r"^ZD[0-9]{6}-[0-9]{4}$"),
            Field(
                "org_id",
                "党组织编号",
                "code",
                "organisation using it",
                pattern=r"^DZ[0-9]{6}-[0-9]{5}$",
                ref="party_orgs.org_id",
            ),
            _district(),
            Field("status", "建设状态", "enum", "state", allowed=("已建成", "在建", "规划")),
            Field("area_m2", "面积", "float", "floor area in m²", min=0, max=1_000_000),
            Field("fund_budget", "财政列支", "float", "budget, 万元", min=0, max=FUNDS),
            Field("fund_dues", "党费补助", "float", "Party dues, 万元", min=0, max=FUNDS),
            Field("fund_dept", "部门帮扶", "float", "departments, 万元", min=0, max=FUNDS),
            Field("fund_self", "单位自筹", "float", "the unit itself, 万元", min=0, max=FUNDS),
            Field("fund_market", "市场化运作", "float", "market, 万元", min=0, max=FUNDS),
        ),
        key=("venue_id",),
    ),
    Register(
        "cadres",
        "党务干部",
        "cadres.csv",
        "Party-affairs cadres by role; names and ID numbers are never stored.",
        (
            Field("cadre_id", "干部编号", "code", "register number", pattern=r"^GB[0-9]{6}-[0-9]{4}$"),
            Field(
                "org_id",
                "党组织编号",
                "code",
                "organisation",
                pattern=r"^DZ[0-9]{6}-[0-9]{5}$",
                ref="party_orgs.org_id",
            ),
            _district(),
            Field("role", "职务", "enum", "role", allowed=("书记", "副书记", "委员", "党务专干")),
            Field(
                "selection", "产生方式", "enum", "how chosen", allowed=("公推直选", "引导留用", "公开选聘", "机关下派")
            ),
            Field(
                "origin",
                "人员来源",
                "enum",
                "background",
                allowed=("企业职工", "大中专毕业生", "下岗失业人员", "复员退伍军人", "机关干部"),
            ),
            Field("training_hours", "年度培训学时", "int", "training hours this year", min=0, max=8_784),
            Field("pay_band", "报酬档次", "enum", "pay band", allowed=("一档", "二档", "三档")),
            Field("rating", "形象测评", "enum", "evaluation", allowed=("好", "较好", "一般", "差")),
        ),
        key=("cadre_id",),
    ),
    Register(
        "activities",
        "活动载体",
        "activities.csv",
        "Activities and carriers counted per district, zone and quarter.",
        (
            _district(),
            Field("period", "统计季度", "period", "quarter", pattern=r"^[0-9]{4}Q[1-4]$"),
            Field("zone", "所属领域", "enum", "zone", allowed=tuple(ZONES.values())),
            Field(
                "carrier",
                "活动载体",
                "enum",
                "carrier",
                allowed=(
                    "党员设岗定责",
                    "党员责任区",
                    "党员示范岗",
                    "亮明身份承诺服务",
                    "党员义工",
                    "三培两带",
                    "三培两推",
                    "星级社区",
                    "一弘扬三创优",
                ),
            ),
            Field("count", "开展次数", "int", "times held", min=0, max=1_000_000),
            Field("participants", "参与党员人次", "int", "member participations", min=0, max=100_000_000),
        ),
        key=("district", "period", "zone", "carrier"),
    ),
)

BY_NAME = {r.name: r for r in REGISTERS}


def register(name: str) -> Register:
    return BY_NAME[name]


def number(x: float) -> str:
    """A number as people write it: 1,000,000 and 113.77, never 1000000.0 (integers exact)."""
    if isinstance(x, numbers.Integral):
        return f"{int(x):,}"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:g}"


def bounds(f: Field) -> str:
    """The range of a numeric field, e.g. 0 – 1,000,000."""
    low = number(f.min) if f.min is not None else "−∞"
    high = number(f.max) if f.max is not None else "∞"
    return f"{low} – {high}"


def markdown() -> str:
    """Field-by-field documentation of every register (docs/REGISTERS.md)."""
    out = [
        "# Registers (台账)",
        "",
        "Generated from `sanqu/registers.py` by `python -m sanqu docs`; do not edit by hand.",
        "Files are UTF-8 CSV (or .xlsx with the same headers) under `data/registers/`.",
        "Columns named 姓名, 身份证号, 联系电话, 手机, 住址 are dropped on import.",
        "A number must lie in the range shown (bounds included); longitude and latitude in the box",
        "around Ji'an's 13 districts widened by about 5 km. Rules across columns and registers",
        "(entities that exist, the organisation tree, dates in order, parts within the whole,",
        "districts that agree) are listed in `sanqu/integrity.py`.",
        "",
    ]
    for reg in REGISTERS:
        out += [f"## {reg.label} — `{reg.file}`", "", reg.meaning, ""]
        if reg.key:
            out += [f"Key: {', '.join(reg.key)}", ""]
        out += ["| 表头 | column | type | required | allowed / format | meaning |", "|---|---|---|---|---|---|"]
        for f in reg.fields:
            allowed = " / ".join(f.allowed) if f.allowed else (f"`{f.pattern}`" if f.pattern else "")
            if f.min is not None or f.max is not None:
                allowed += bounds(f)
            if f.ref:
                allowed += f" (must exist in {f.ref})"
            allowed = allowed.replace("|", "\\|")
            out.append(
                f"| {f.label} | {f.name} | {f.type} | {'yes' if f.required else 'no'} | {allowed} | {f.meaning} |"
            )
        out.append("")
    return "\n".join(out)
