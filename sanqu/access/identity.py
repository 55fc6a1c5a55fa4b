"""Who is looking and what they may see: an Identity, its role's scope, and narrowing by the URL.

Pure functions: the Streamlit side (ui/identity.py) supplies the user id and the access list row.
"""

from dataclasses import dataclass

from sanqu import geography
from sanqu.scope import Scope

ROLES = ("city", "county", "viewer", "screen")
VIAS = ("local", "oidc", "proxy", "link")
ROLE_LABELS = {"city": "市级", "county": "区县", "viewer": "只读", "screen": "大屏"}


@dataclass(frozen=True)
class Identity:
    user_id: str
    role: str  # one of ROLES
    scope: Scope  # the widest view this person may have; ?district= narrows it
    via: str  # how it was established: local | oidc | proxy | link

    @property
    def read_only(self) -> bool:
        """Viewers, screens and share links look; they never import, manage or make links."""
        return self.role in ("viewer", "screen") or self.via == "link"

    @property
    def screen_only(self) -> bool:
        return self.role == "screen"

    @property
    def is_admin(self) -> bool:
        """City administrators manage users, links and imports."""
        return self.role == "city" and self.via != "link"


def parse_codes(value: str | None) -> tuple[str, ...]:
    """'360821,360822' -> the codes as written (stripped, empty parts dropped); '360800' stays as is."""
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def role_scope(role: str, districts: str) -> Scope:
    """The scope of an access-list row: city = every district; the others their districts
    (viewer and screen may hold 360800 = the whole city); a county row with none raises."""
    if role not in ROLES:
        raise ValueError(f"未知的角色: {role}")
    if role == "city":
        return Scope.city()
    codes = parse_codes(districts)
    if not codes:
        raise ValueError(f"角色 {role} 需要区县代码")
    if geography.region_code() in codes:
        if role == "county":
            raise ValueError("区县角色不能是全市")
        return Scope.city()
    if len(codes) == 1:
        return Scope.unit(codes[0])  # a city (province packs), a county or a township
    return Scope.of(*codes)


def narrow(identity_scope: Scope, requested_codes: tuple[str, ...] | None) -> tuple[Scope, bool]:
    """The scope to show for a request (?district=): the request when it lies within the
    identity's scope; otherwise the part that does (or the identity's whole scope when none
    does), with refused=True. Any unit code of the pack may be asked for: the region (360800 =
    the whole city), a city, counties, or one township (its own scope, inside the identity's
    counties). No request: the identity's scope."""
    if not requested_codes:
        return identity_scope, False
    pack = geography.pack()
    unknown = {c for c in requested_codes if c not in pack.by_code}  # never wider: refused
    units = [pack.by_code[c] for c in requested_codes if c not in unknown]
    townships = [u for u in units if u.level == "township"]
    if townships:
        if len(requested_codes) > 1:
            return identity_scope, True  # a township is asked for alone
        asked_township = Scope.unit(townships[0].code)
        inside = identity_scope.township in ("", asked_township.township)
        if inside and set(asked_township.counties) <= set(identity_scope.counties):
            return asked_township, False
        return identity_scope, True
    asked = unknown | {c for u in units for c in pack.counties(u.code)}
    allowed = asked & set(identity_scope.counties)
    refused = asked != allowed
    if not allowed:
        return identity_scope, True
    if identity_scope.township:  # a township-wide identity never widens to its county
        return identity_scope, refused
    return Scope.of(*allowed), refused


def local_identity() -> Identity:
    """`access = local` (make run on 127.0.0.1): everyone sees the whole city."""
    return Identity("local", "city", Scope.city(), "local")


ACCESS_MODES = ("local", "oidc", "proxy")


LOOPBACK = "127.0.0.1"


def normalise_ip(address: str | None) -> str:
    """An address as compared with the trusted list: an IPv4-mapped IPv6 address
    (::ffff:10.0.0.5) as its IPv4 form, and any loopback address (127.0.0.1, ::1,
    ::ffff:127.0.0.1, or None: Streamlit's `st.context.ip_address` reads None for a client on
    127.0.0.1 or ::1, and there is no text at all without a client, as under AppTest) as
    127.0.0.1; surrounding space and brackets dropped."""
    if not isinstance(address, str):
        return LOOPBACK
    text = address.strip().strip("[]").lower()
    if text.startswith("::ffff:") and "." in text:
        text = text.removeprefix("::ffff:")
    return LOOPBACK if text in ("::1", "localhost") else text


def is_loopback(address: str | None) -> bool:
    return normalise_ip(address) == LOOPBACK


def trusted(address: str | None, proxies: list[str]) -> bool:
    """Whether a request from `address` comes from one of the trusted proxies."""
    here = normalise_ip(address)
    return bool(here) and here in {normalise_ip(p) for p in proxies}


def oidc_user_id(claims: dict, claim: str = "email") -> str | None:
    """The user id of a signed-in OIDC user: the configured claim, else the subject."""
    for name in (claim, "sub"):
        value = claims.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
